import type { Queue } from 'bullmq';
import type { FakeMessage, SlackApiFake, SlackCall } from '../fakes/slack-api-fake';
import { botReplies, isFailure, isProgress, isReview } from './slack-actions';

/**
 * Every wait the tests do, in one place: a poll until something holds, a pause for what must not
 * happen, and the waits for what the bot shows in Slack or leaves in its queue. Each gives up with
 * a message that says what it waited for, instead of hanging until jest's own timeout.
 */

/** How often a wait looks again. */
const POLL_MS = 20;

export interface WaitOptions {
  timeoutMs?: number;
  /** The timeout's message, given the last error the check threw (if it threw). */
  onTimeout?: (lastError: unknown) => string;
}

/**
 * Polls `check` until it returns something other than undefined or false, and resolves with that.
 * A check that throws counts as not yet (its last error goes into the timeout's message).
 */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, onTimeout }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        onTimeout ? onTimeout(lastError) : `condition still unmet after ${timeoutMs} ms${cause}`,
      );
    }
    await pause(POLL_MS);
  }
}

/** Waits `ms`: the time something that must not happen (a duplicate, a second reply) gets to show itself. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Anything that talks to the Slack fake: the app harness, a worker-stage kit. */
type WithSlack = { slack: SlackApiFake };

/**
 * Waits until the thread shows a finished review from the bot, delivered whole (its placeholder gone),
 * and returns it.
 */
export function waitForReview(app: WithSlack, threadTs: string, timeoutMs = 20_000): Promise<FakeMessage> {
  return app.slack.waitFor(() => {
    const replies = botReplies(app, threadTs);
    return replies.some(isProgress) ? undefined : replies.find(isReview);
  }, timeoutMs);
}

/** Waits until the thread shows the bot's failure message and returns it. */
export function waitForFailure(app: WithSlack, threadTs: string, timeoutMs = 20_000): Promise<FakeMessage> {
  return app.slack.waitFor(() => botReplies(app, threadTs).find(isFailure), timeoutMs);
}

/**
 * Waits until a slash command's request is in the channel and its placeholder in the request's
 * thread; returns the request message's post and the thread.
 */
export async function waitForCommandThread(app: WithSlack): Promise<{ root: SlackCall; threadTs: string }> {
  const posts = () => app.slack.callsTo('chat.postMessage');
  const root = await app.slack.waitFor(() => posts().find((c) => c.params.thread_ts === undefined));
  const placeholder = await app.slack.waitFor(() => posts().find((c) => c.params.thread_ts));
  return { root, threadTs: String(placeholder.params.thread_ts) };
}

/**
 * Waits until the queue holds no job still to run (none waiting, active, delayed or prioritized), so
 * a duplicate would already have shown itself in the thread; returns the final counts.
 */
export async function waitUntilIdle(queue: Queue, timeoutMs = 20_000): Promise<Record<string, number>> {
  let last: Record<string, number> = {};
  return waitUntil(
    async () => {
      last = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'waiting-children',
        'completed',
        'failed',
      );
      const pending =
        (last.waiting ?? 0) +
        (last.active ?? 0) +
        (last.delayed ?? 0) +
        (last.prioritized ?? 0) +
        (last['waiting-children'] ?? 0);
      return pending === 0 ? last : undefined;
    },
    { timeoutMs, onTimeout: () => `queue still busy after ${timeoutMs} ms: ${JSON.stringify(last)}` },
  );
}
