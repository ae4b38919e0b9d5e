import { Queue } from 'bullmq';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import type { SlackCall } from '../../test/fakes/slack-api-fake';
import { TEST_REDIS_URL } from '../../test/helpers/redis-keys';
import { slashCommandBody } from '../../test/helpers/slack-payloads';
import type { MeasuredProcess } from '../child';
import type { BenchContext } from '../context';
import { SlackClient, signRequest } from '../load';
import { type Percentiles, percentiles } from '../stats';
import { REQUESTER } from '../workspace';

export interface BurstLayoutRun {
  layout: 'one process' | 'web + 2 workers';
  requests: number;
  /** Requests with exactly one review in their thread. */
  delivered: number;
  /** Requests with more than one review (should be 0). */
  doubled: number;
  /** Calls Slack answered 429, by method, over the whole run (progress cleanup included). */
  rateLimited: Record<string, number>;
  rateLimitedTotal: number;
  /** Calls to the methods Slack rate-limits, by method. */
  limitedCalls: Record<string, number>;
  /** Request sent → its placeholder posted: the first sign of life. */
  placeholderMs: Percentiles;
  /** Request sent → its review posted. */
  replyMs: Percentiles;
  /** The fake model's own time to answer one review. */
  modelMs: number;
  /** First request sent → the last job finished (its progress messages cleaned up). */
  drainedSec: number;
}

export interface Burst {
  reviews: number;
  channels: number;
  runs: BurstLayoutRun[];
}

const LIMITED = [
  'chat.update',
  'chat.delete',
  'conversations.replies',
  'conversations.history',
  'conversations.info',
  'reactions.add',
  'users.info',
  'chat.postEphemeral',
  'views.open',
  'chat.postMessage',
];

/**
 * A design-review day: `burstReviews` reviews requested within two seconds in one workspace, over
 * `burstChannels` channels (three slash commands to one mention), against a Slack fake that enforces
 * Slack's tiers with 429 and Retry-After. Once in one ROLE=all process, once as a web role with two
 * ROLE=worker replicas on the same Redis, which must share the workspace's budget.
 */
export async function measureBurst(ctx: BenchContext): Promise<Burst> {
  const runs: BurstLayoutRun[] = [];
  runs.push(await burstRun(ctx, 'one process'));
  runs.push(await burstRun(ctx, 'web + 2 workers'));
  return { reviews: ctx.size.burstReviews, channels: ctx.size.burstChannels, runs };
}

export async function burstRun(ctx: BenchContext, layout: BurstLayoutRun['layout']): Promise<BurstLayoutRun> {
  const { burstReviews: count, burstChannels: channelCount, burstModelMs: modelMs } = ctx.size;
  ctx.freshPhase(modelMs);
  ctx.slack.enforceRateLimits();
  ctx.log(
    `burst (${layout}): ${count} reviews within 2 s over ${channelCount} channels, model ${modelMs} ms`,
  );
  const prefix = ctx.prefix(layout === 'one process' ? 'burst-all' : 'burst-split');
  const processes: MeasuredProcess[] = [];
  // Slack's own tiers, as the app knows them (src/slack/rate-tiers.ts) and the fake enforces them.
  const env = (role: string) => ctx.appEnv(prefix, { ROLE: role, SLACK_RATE_LIMITS: '' });
  try {
    if (layout === 'one process') {
      processes.push(await ctx.start('app-process', env('all'), 'app-burst-all'));
    } else {
      processes.push(await ctx.start('app-process', env('web'), 'app-burst-web'));
      for (const n of [1, 2])
        processes.push(await ctx.start('app-process', env('worker'), `app-burst-worker-${n}`));
    }
    const port = processes[0]?.port ?? 0;
    const requests = buildRequests(ctx, count, channelCount);
    const client = new SlackClient(port);
    const firstSentAt = Date.now();
    try {
      // Spread over the first two seconds, as people asking at the same moment are.
      await Promise.all(
        requests.map(async (r, i) => {
          await new Promise((resolve) => setTimeout(resolve, (2000 * i) / count));
          r.sentAt = (await client.send(r.request)).sentAt;
        }),
      );
    } finally {
      client.close();
    }
    const replies = await waitForReplies(ctx, requests, 300_000);
    const drainedAt = await waitForDrain(prefix, 300_000);
    const rateLimited = ctx.slack.rateLimited();
    const limitedCalls: Record<string, number> = {};
    for (const c of ctx.slack.calls)
      if (LIMITED.includes(c.method)) limitedCalls[c.method] = (limitedCalls[c.method] ?? 0) + 1;
    return {
      layout,
      requests: count,
      delivered: replies.filter((r) => r.reviews === 1).length,
      doubled: replies.filter((r) => r.reviews > 1).length,
      rateLimited,
      rateLimitedTotal: Object.values(rateLimited).reduce((n, c) => n + c, 0),
      limitedCalls,
      placeholderMs: percentiles(replies.map((r) => r.placeholderMs)),
      replyMs: percentiles(replies.map((r) => r.replyMs)),
      modelMs,
      drainedSec: Math.round((drainedAt - firstSentAt) / 100) / 10,
    };
  } finally {
    await Promise.all(processes.map((p) => ctx.stop(p)));
    // Later phases measure against a Slack that does not count.
    ctx.workspace.reset();
  }
}

interface BurstRequest {
  kind: 'command' | 'mention';
  channel: string;
  /** A mention's thread; a command's thread is the root the bot posts, found by `marker`. */
  threadTs?: string;
  marker: string;
  request: ReturnType<typeof signRequest>;
  sentAt: number;
}

/** Three slash commands to one mention, round-robin over the channels. */
function buildRequests(ctx: BenchContext, count: number, channelCount: number): BurstRequest[] {
  const channels = Array.from({ length: channelCount }, () => ctx.workspace.newChannel());
  return Array.from({ length: count }, (_, i) => {
    const channel = channels[i % channelCount] ?? '';
    const marker = `design-${i}`;
    if (i % 4 !== 3) {
      const body = slashCommandBody(`review ${marker}: one Postgres for orders and billing`, {
        channel_id: channel,
      });
      return { kind: 'command', channel, marker, request: signRequest(body, 'form'), sentAt: 0 };
    }
    const rootTs = ctx.slack.addMessage(channel, {
      user: REQUESTER,
      text: `${marker}: one Postgres for all`,
    });
    return {
      kind: 'mention',
      channel,
      threadTs: rootTs,
      marker,
      request: ctx.workspace.mentionIn(channel, rootTs),
      sentAt: 0,
    };
  });
}

const isReply = (c: SlackCall) =>
  c.method === 'chat.postMessage' &&
  c.status === 200 &&
  c.params.thread_ts !== undefined &&
  JSON.stringify(c.params.blocks ?? []).includes('open_full_review');

/** Waits until every request has its review; then each request's reviews and time to the first. */
async function waitForReplies(
  ctx: BenchContext,
  requests: BurstRequest[],
  timeoutMs: number,
): Promise<{ reviews: number; replyMs: number; placeholderMs: number }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = requests.map((r) => threadPostsOf(ctx, r));
    if (found.every((f) => f.replies.length > 0) || Date.now() > deadline)
      return found.map((f, i) => ({
        reviews: f.replies.length,
        replyMs: (f.replies[0]?.at ?? Number.NaN) - (requests[i]?.sentAt ?? 0),
        placeholderMs: (f.placeholder?.at ?? Number.NaN) - (requests[i]?.sentAt ?? 0),
      }));
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The bot's posts in a request's thread: its placeholder and its reviews. */
function threadPostsOf(
  ctx: BenchContext,
  r: BurstRequest,
): { placeholder?: SlackCall; replies: SlackCall[] } {
  const calls = ctx.slack.calls;
  let thread = r.threadTs;
  if (!thread) {
    const root = calls.find(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.status === 200 &&
        c.params.channel === r.channel &&
        c.params.thread_ts === undefined &&
        String(c.params.text).includes(`${r.marker}:`),
    );
    thread = typeof root?.response?.ts === 'string' ? root.response.ts : undefined;
  }
  if (!thread) return { replies: [] };
  const inThread = calls.filter(
    (c) => c.method === 'chat.postMessage' && c.params.channel === r.channel && c.params.thread_ts === thread,
  );
  const placeholder = inThread.find(
    (c) => c.status === 200 && String(c.params.text).includes('is reviewing'),
  );
  return { ...(placeholder ? { placeholder } : {}), replies: inThread.filter(isReply) };
}

/** Waits until no job is waiting or running: every consultation finished, its progress cleaned up. */
async function waitForDrain(prefix: string, timeoutMs: number): Promise<number> {
  const queue = new Queue(CONSULTATION_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0) || Date.now() > deadline) return Date.now();
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await queue.close();
  }
}
