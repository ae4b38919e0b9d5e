import type { CacheTtl } from '../../src/consultation/prompt-caching';
import {
  type BilledTokens,
  costUsd,
  LIST_PRICES_USD_PER_MTOK,
  modelFamily,
} from '../../src/observability/prices';
import type { RecordedRequest } from '../../test/fakes/anthropic-fake';
import type { FakeMessage } from '../../test/fakes/slack-api-fake';
import { blockActionsBody, viewSubmissionBody } from '../../test/helpers/slack-payloads';
import { benchFollowUp, benchReview } from '../bench-review';
import type { BenchContext } from '../context';
import { type SignedRequest, SlackClient, signRequest } from '../load';
import { REQUESTER } from '../workspace';

/** One Claude request as billed: its tokens by kind, and their price at list prices. */
export interface RequestCost {
  model: string;
  tokens: BilledTokens;
  usd: number | null;
  /** What the same request would cost with no prompt caching at all: every prompt token as input. */
  uncachedUsd: number | null;
}

export interface TtlCosts {
  ttl: CacheTtl;
  /** A review with nothing cached yet (the agent prompt included): the first of its kind in an hour. */
  review: RequestCost;
  /** The follow-up after a clarifying question was answered, `afterMinutes` after the review. */
  followUps: { afterMinutes: number; cost: RequestCost }[];
}

export interface Costs {
  /** Output tokens of the review and of the follow-up the fake model writes. */
  reviewOutputTokens: number;
  followUpOutputTokens: number;
  byTtl: TtlCosts[];
}

const TTLS: CacheTtl[] = ['1h', '5m'];
/** About 30k tokens (4 characters each) of thread, the size of a design discussion with a pasted doc. */
const REALISTIC_THREAD_CHARS = 120_000;
/** A quick answer, and one that comes after a meeting: the "10–60 minutes later". */
export const FOLLOW_UP_MINUTES = [2, 20] as const;
const MINUTE = 60_000;

/**
 * Tokens and dollars per review and per follow-up, from the request bodies the fake model received
 * and the usage it billed for them the way the API bills prompt caching: for each PROMPT_CACHE_TTL, a
 * review on an empty cache, then a clarifying question answered through the modal with the re-run
 * ticked, the fake's cache clock moved on by the minutes a person takes to answer.
 */
export async function measureCosts(ctx: BenchContext): Promise<Costs> {
  const byTtl: TtlCosts[] = [];
  let outputs = { review: Number.NaN, followUp: Number.NaN };
  for (const ttl of TTLS) {
    ctx.log(`app (ROLE=all): tokens and dollars per review and follow-up, PROMPT_CACHE_TTL=${ttl}`);
    const env = ctx.appEnv(ctx.prefix(`cost-${ttl}`), { ROLE: 'all', PROMPT_CACHE_TTL: ttl });
    const app = await ctx.start('app-process', env, `app-cost-${ttl}`);
    const client = new SlackClient(app.port);
    try {
      const followUps: TtlCosts['followUps'] = [];
      let review: RequestCost | undefined;
      for (const afterMinutes of FOLLOW_UP_MINUTES) {
        const [first, second] = await reviewThenFollowUp(ctx, client, afterMinutes);
        review ??= costOf(first);
        followUps.push({ afterMinutes, cost: costOf(second) });
        outputs = {
          review: first.usage?.output_tokens ?? Number.NaN,
          followUp: second.usage?.output_tokens ?? Number.NaN,
        };
      }
      if (!review) throw new Error('no review was priced');
      byTtl.push({ ttl, review, followUps });
    } finally {
      client.close();
      await ctx.stop(app);
    }
  }
  return { reviewOutputTokens: outputs.review, followUpOutputTokens: outputs.followUp, byTtl };
}

/** A review in a thread of its own, then its first question answered `afterMinutes` later; both requests. */
async function reviewThenFollowUp(
  ctx: BenchContext,
  client: SlackClient,
  afterMinutes: number,
): Promise<[RecordedRequest, RecordedRequest]> {
  ctx.freshPhase(0);
  ctx.claude.enqueue({ kind: 'review', review: benchReview() }, benchFollowUp());
  // A realistic design thread: about 30k tokens of messages and pasted documents before the mention.
  // The smoke size (run by the test suite) keeps the short thread: it only shows the phase runs.
  const threadChars = ctx.size.name === 'smoke' ? undefined : REALISTIC_THREAD_CHARS;
  const { channel, threadTs, request } = ctx.workspace.mentionInThread(10, threadChars);
  await send(client, request);
  const reply = await waitForReplies(ctx, channel, threadTs, 1);

  const question = buttonValue(reply, 'clarify_question_0');
  const click = blockActionsBody({
    actionId: 'clarify_question_0',
    value: question,
    messageTs: reply.ts,
    threadTs,
    channel,
    user: REQUESTER,
  });
  await send(client, signRequest(click, 'form'));
  const view = await ctx.slack.waitFor(
    () => ctx.slack.callsTo('views.open')[0]?.params.view as ModalView | undefined,
    30_000,
  );

  ctx.claude.advanceClock(afterMinutes * MINUTE);
  const submission = viewSubmissionBody({
    // Submissions are deduplicated on the view id: each modal has its own, as in Slack.
    view: { ...view, id: `V${channel}` },
    answers: {
      answer_0: 'About 400 orders a minute at peak, 2,000 on Black Friday; we keep 7 years of orders.',
    },
    rerun: true,
    user: REQUESTER,
  });
  await send(client, signRequest(submission, 'form'));
  await waitForReplies(ctx, channel, threadTs, 2);
  const [first, second] = ctx.claude.requests;
  if (!first || !second || ctx.claude.requests.length !== 2) {
    throw new Error(`expected a review and one follow-up, Claude got ${ctx.claude.requests.length} requests`);
  }
  return [first, second];
}

type ModalView = { callback_id: string; private_metadata: string };

async function send(client: SlackClient, request: SignedRequest): Promise<void> {
  const sent = await client.send(request);
  if (sent.status !== 200) throw new Error(`the app answered HTTP ${sent.status}`);
}

/** Waits until the thread holds `n` finished replies (each offers its full review); the last of them. */
async function waitForReplies(
  ctx: BenchContext,
  channel: string,
  threadTs: string,
  n: number,
): Promise<FakeMessage> {
  return ctx.slack.waitFor(() => {
    const replies = ctx.slack
      .threadMessages(channel, threadTs)
      .filter((m) => m.bot_id && JSON.stringify(m.blocks ?? []).includes('"open_full_review"'));
    return replies.length >= n && replies[n - 1];
  }, 60_000);
}

function buttonValue(message: FakeMessage, actionId: string): string {
  type Element = { action_id?: string; value?: string };
  const blocks = (message.blocks ?? []) as { elements?: Element[] }[];
  const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value;
  if (!value) throw new Error(`the reply has no ${actionId} button`);
  return value;
}

function costOf(request: RecordedRequest): RequestCost {
  const model = String(request.body.model);
  const u = request.usage;
  if (!u) throw new Error('the fake billed no usage for the request');
  const tokens: BilledTokens = {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheWrite5m: u.cache_creation.ephemeral_5m_input_tokens,
    cacheWrite1h: u.cache_creation.ephemeral_1h_input_tokens,
    cacheRead: u.cache_read_input_tokens,
  };
  const prompt = u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
  const usd = costUsd(model, tokens);
  const uncached = costUsd(model, {
    input: prompt,
    output: u.output_tokens,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: 0,
  });
  return { model, tokens, usd: usd ?? null, uncachedUsd: uncached ?? null };
}

/** The list prices the run used, for the results file (they change; the file should say which). */
export function pricesUsed(costs: Costs): Record<string, unknown> {
  const models = new Set(costs.byTtl.map((t) => t.review.model));
  return Object.fromEntries(
    [...models].map((m) => {
      const family = modelFamily(m);
      return [m, family ? LIST_PRICES_USD_PER_MTOK[family] : null];
    }),
  );
}
