import type { BenchContext } from '../context';
import { SlackClient } from '../load';
import { round } from '../stats';
import type { ConsultationTracker } from '../tracker';

export interface LatencySamples {
  /** Request sent → placeholder posted in the thread, ms. */
  placeholderMs: number[];
  /** Request sent → review delivered, minus the fake model's latency, ms. */
  overheadMs: number[];
  failures: number;
}

/**
 * Times consultations with a free worker: `lanes` at a time (fewer than WORKER_CONCURRENCY), each lane
 * sending a mention and waiting for its review before sending the next. Times are the fake's arrival
 * times against the client's send time, both Date.now() in this process.
 */
export async function timeConsultations(
  ctx: BenchContext,
  tracker: ConsultationTracker,
  port: number,
  opts: { count: number; lanes: number; modelMs: number; threadMessages: number },
): Promise<LatencySamples> {
  const client = new SlackClient(port);
  const out: LatencySamples = { placeholderMs: [], overheadMs: [], failures: 0 };
  let started = 0;
  const lane = async () => {
    while (started < opts.count) {
      started++;
      const { channel, request } = ctx.workspace.mentionInThread(opts.threadMessages);
      const sent = await client.send(request);
      await tracker.waitForAll([channel], 60_000);
      const p = tracker.of(channel);
      if (p.failed) out.failures++;
      out.placeholderMs.push((p.placeholderAt ?? Number.NaN) - sent.sentAt);
      out.overheadMs.push((p.finishedAt ?? Number.NaN) - sent.sentAt - opts.modelMs);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.lanes }, lane));
  } finally {
    client.close();
  }
  return out;
}

export interface ThroughputRun {
  consultations: number;
  seconds: number;
  perSec: number;
  failures: number;
}

export interface SentMentions {
  channels: string[];
  firstSentAt: number;
}

/** Sends `count` mentions (each in a thread of its own) as fast as 50 in flight allows. */
export async function sendMentions(
  ctx: BenchContext,
  port: number,
  count: number,
  threadMessages: number,
): Promise<SentMentions> {
  const built = Array.from({ length: count }, () => ctx.workspace.mentionInThread(threadMessages));
  const client = new SlackClient(port);
  try {
    const sent = await client.sendAll(
      built.map((b) => b.request),
      50,
    );
    return { channels: built.map((b) => b.channel), firstSentAt: Math.min(...sent.map((s) => s.sentAt)) };
  } finally {
    client.close();
  }
}

/** Waits for every review; consultations per second from `startAt` to the last review delivered. */
export async function finishRun(
  tracker: ConsultationTracker,
  channels: readonly string[],
  startAt: (tracker: ConsultationTracker) => number,
): Promise<ThroughputRun> {
  await tracker.waitForAll(channels, 300_000);
  const last = Math.max(...channels.map((c) => tracker.of(c).finishedAt ?? Number.NaN));
  const seconds = (last - startAt(tracker)) / 1000;
  return {
    consultations: channels.length,
    seconds: round(seconds, 3),
    perSec: round(channels.length / seconds),
    failures: tracker.failures(channels),
  };
}

/**
 * End to end: sends `count` mentions at 50 in flight and waits for every review, timed from the first
 * request sent to the last review delivered, ramp-up and drain included.
 */
export async function runThroughput(
  ctx: BenchContext,
  tracker: ConsultationTracker,
  port: number,
  count: number,
  threadMessages = 5,
): Promise<ThroughputRun> {
  const { channels, firstSentAt } = await sendMentions(ctx, port, count, threadMessages);
  return finishRun(tracker, channels, () => firstSentAt);
}
