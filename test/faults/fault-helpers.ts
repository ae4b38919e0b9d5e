import { Queue } from 'bullmq';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import type { FakeMessage } from '../fakes/slack-api-fake';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { CHANNEL, eventCallback, slashCommandBody, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

/** Every text a message shows: its fallback and its blocks, flattened. */
export function shownText(message: { text?: unknown; blocks?: unknown }): string {
  return `${String(message.text ?? '')}\n${JSON.stringify(message.blocks ?? [])}`;
}

export const isReview = (m: FakeMessage): boolean => /Architecture review/.test(shownText(m));
export const isFailure = (m: FakeMessage): boolean => /couldn.t finish the review/.test(shownText(m));
export const hasRetryButton = (m: FakeMessage): boolean => shownText(m).includes('retry_consultation');

/** What the bot shows in a thread: its own messages, the root excluded. */
export function botReplies(h: Harness, threadTs: string): FakeMessage[] {
  return h.slack.threadMessages(CHANNEL, threadTs).filter((m) => m.bot_id && m.ts !== threadTs);
}

/** A person's message mentioning the bot, and the app_mention event Slack sends for it; returns its ts. */
export async function mention(
  h: Harness,
  text = '<@UBOT> please review: one Postgres for orders and billing, a Node API in front',
  eventsUrl = h.eventsUrl,
): Promise<string> {
  const ts = h.slack.addMessage(CHANNEL, { user: USER, text });
  const res = await signedPost(
    eventsUrl,
    eventCallback({ type: 'app_mention', user: USER, text, ts, channel: CHANNEL }),
  );
  if (res.status !== 200) throw new Error(`the app answered the mention with HTTP ${res.status}`);
  return ts;
}

/** `/architect <text>`; resolves with the ephemeral ack the person sees. */
export async function slashCommand(
  h: Harness,
  text: string,
): Promise<{ response_type?: string; text?: string }> {
  const res = await signedPost(h.eventsUrl, slashCommandBody(text), {
    contentType: 'application/x-www-form-urlencoded',
  });
  if (res.status !== 200) throw new Error(`the app answered the command with HTTP ${res.status}`);
  return (await res.json()) as { response_type?: string; text?: string };
}

/** Waits until the thread shows a finished review and returns it. */
export function waitForReview(h: Harness, threadTs: string, timeoutMs = 20_000): Promise<FakeMessage> {
  return h.slack.waitFor(() => botReplies(h, threadTs).find(isReview), timeoutMs);
}

/** Waits until the thread shows a failure message and returns it. */
export function waitForFailure(h: Harness, threadTs: string, timeoutMs = 20_000): Promise<FakeMessage> {
  return h.slack.waitFor(() => botReplies(h, threadTs).find(isFailure), timeoutMs);
}

/** A BullMQ view of the harness's queue, for counting and adding jobs the way another producer would. */
export function harnessQueue(h: Harness, redisUrl = h.env.REDIS_URL ?? TEST_REDIS_URL): Queue {
  const queue = new Queue(CONSULTATION_QUEUE, {
    connection: { url: redisUrl, maxRetriesPerRequest: 1 },
    prefix: h.prefix,
  });
  queue.on('error', () => undefined);
  return queue;
}

/** The fault suites' common setting: the app with Alice known to Slack, and a view of its queue. */
export async function startFaultHarness(): Promise<{ h: Harness; queue: Queue }> {
  const h = await startHarness({ LOG_LEVEL: 'info' });
  h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  return { h, queue: harnessQueue(h) };
}

export async function stopFaultHarness(h: Harness, queue: Queue): Promise<void> {
  await queue.close();
  await h.stop();
}

/**
 * Waits until the queue holds no job still to run (none waiting, active, delayed or prioritized), so
 * a duplicate would already have shown itself in the thread; returns the final counts.
 */
export async function waitUntilIdle(queue: Queue, timeoutMs = 20_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'waiting-children',
      'completed',
      'failed',
    );
    const pending =
      (counts.waiting ?? 0) +
      (counts.active ?? 0) +
      (counts.delayed ?? 0) +
      (counts.prioritized ?? 0) +
      (counts['waiting-children'] ?? 0);
    if (pending === 0) return counts;
    if (Date.now() >= deadline)
      throw new Error(`queue still busy after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls an asynchronous condition every 50 ms until it holds; throws after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`condition still false after ${timeoutMs} ms${cause}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
