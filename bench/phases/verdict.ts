import { benchReview, verdictLabelOf } from '../bench-review';
import type { BenchContext } from '../context';
import { SlackClient } from '../load';
import { type Percentiles, percentiles } from '../stats';

export interface VerdictTiming {
  consultations: number;
  /** The fake model's output rate. */
  tokensPerSec: number;
  /** Output tokens of the review it writes. */
  reviewOutputTokens: number;
  /** Request sent → first Slack call showing the verdict's label in the thread. */
  verdictVisibleMs: Percentiles;
  /** The model's own time to the verdict: its request → the delta completing the headline sent. */
  modelVerdictMs: Percentiles;
  /** Request sent → the reply delivered. */
  replyMs: Percentiles;
  /** The model's own time to the whole review: its request → the last delta sent. */
  modelReviewMs: Percentiles;
  failures: number;
}

/**
 * How long a person waits to see the verdict: consultations all at once (fewer than the worker's
 * concurrency) with the fake model writing a ~2,500-token review at a person-visible rate, timed from
 * the mention to the first Slack call that shows the verdict's label, next to the model's own time to
 * write the verdict and headline (the fields it writes first).
 */
export async function measureVerdictTime(ctx: BenchContext): Promise<VerdictTiming> {
  const { verdictConsultations: count, verdictTokensPerSec: tokensPerSec } = ctx.size;
  const review = benchReview();
  const tracker = ctx.freshPhase(0, verdictLabelOf(review));
  ctx.log(`app (ROLE=all): request → verdict visible, ${count} reviews streamed at ${tokensPerSec} tokens/s`);
  for (let i = 0; i < count; i++) ctx.claude.enqueue({ kind: 'review', review, tokensPerSec });
  const app = await ctx.start(
    'app-process',
    ctx.appEnv(ctx.prefix('verdict'), { ROLE: 'all' }),
    'app-verdict',
  );
  const client = new SlackClient(app.port);
  const verdictVisibleMs: number[] = [];
  const replyMs: number[] = [];
  const channels: string[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const { channel, request } = ctx.workspace.mentionInThread(10);
        channels.push(channel);
        const sent = await client.send(request);
        await tracker.waitForAll([channel], 300_000);
        const p = tracker.of(channel);
        verdictVisibleMs.push((p.verdictVisibleAt ?? Number.NaN) - sent.sentAt);
        replyMs.push((p.finishedAt ?? Number.NaN) - sent.sentAt);
      }),
    );
    const requests = ctx.claude.requests;
    return {
      consultations: count,
      tokensPerSec,
      reviewOutputTokens: requests[0]?.usage?.output_tokens ?? Number.NaN,
      verdictVisibleMs: percentiles(verdictVisibleMs),
      modelVerdictMs: percentiles(requests.map((r) => (r.fieldsSentAt.headline ?? Number.NaN) - r.at)),
      replyMs: percentiles(replyMs),
      modelReviewMs: percentiles(requests.map((r) => lastFieldAt(r.fieldsSentAt) - r.at)),
      failures: tracker.failures(channels),
    };
  } finally {
    client.close();
    await ctx.stop(app);
  }
}

/** When the last field was complete: the end of the review's stream. */
function lastFieldAt(sent: Record<string, number>): number {
  const times = Object.values(sent);
  return times.length > 0 ? Math.max(...times) : Number.NaN;
}
