import { botReplies, isReview, mention, shownText, slashCommand } from '../helpers/slack-actions';
import { CHANNEL } from '../helpers/slack-payloads';
import { waitForReview, waitUntilIdle } from '../helpers/waits';
import { faultHarnessForEachTest } from './fault-helpers';

const RATE_LIMITED = { error: 'ratelimited', status: 429, retryAfterSec: 1 } as const;

describe('Slack answers 429 with Retry-After during a consultation', () => {
  const fault = faultHarnessForEachTest();

  /** Calls to `method` Slack refused with 429, and those it accepted, in the thread of `ts`. */
  const answered = (method: string, status: number) =>
    fault.h.slack.callsTo(method).filter((c) => c.status === status);

  /** The thread holds one review, nothing else from the bot, and no error was ever shown. */
  const expectOneCleanReview = async (ts: string) => {
    const { h, queue } = fault;
    await waitForReview(h, ts, 30_000);
    const counts = await waitUntilIdle(queue, 30_000);
    expect(counts).toMatchObject({ completed: 1, failed: 0 });
    expect(botReplies(h, ts)).toHaveLength(1);
    expect(botReplies(h, ts).filter(isReview)).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(1);
    expect(h.slack.calls.some((c) => shownText(c.params).includes('retry_consultation'))).toBe(false);
  };

  it('on chat.postMessage (the placeholder): the review still lands, once', async () => {
    const { h } = fault;
    h.slack.failNext('chat.postMessage', { ...RATE_LIMITED, times: 2 });
    const ts = await mention(h);
    await expectOneCleanReview(ts);
    expect(answered('chat.postMessage', 429)).toHaveLength(2);
    // One placeholder and one reply were posted: the refused posts were not, and nothing was posted twice.
    expect(answered('chat.postMessage', 200)).toHaveLength(2);
  }, 45_000);

  it('on chat.update (the progress shown in the placeholder): the review still lands, once', async () => {
    const { h } = fault;
    h.slack.failNext('chat.update', { ...RATE_LIMITED, times: 3 });
    const ts = await mention(h);
    await expectOneCleanReview(ts);
    // Slack's Retry-After held progress updates only: the held ones were dropped once the review was in,
    // rather than sent again after it.
    expect(answered('chat.update', 429).length).toBeGreaterThanOrEqual(1);
    expect(answered('chat.postMessage', 200)).toHaveLength(2);
  }, 45_000);

  it('on both, for a slash command: one request message in the channel and one review in its thread', async () => {
    const { h } = fault;
    h.slack.failNext('chat.postMessage', { ...RATE_LIMITED, times: 2 });
    h.slack.failNext('chat.update', { ...RATE_LIMITED, times: 2 });
    const ack = await slashCommand(h, 'review one Postgres for orders and billing');
    expect(ack.text).toContain('backend-architect');
    const placeholder = await h.slack.waitFor(
      () => h.slack.callsTo('chat.postMessage').find((c) => c.status === 200 && c.params.thread_ts),
      30_000,
    );
    const threadTs = String(placeholder.params.thread_ts);
    await expectOneCleanReview(threadTs);
    const roots = h.slack.channelMessages(CHANNEL).filter((m) => m.bot_id && !m.thread_ts);
    expect(roots).toHaveLength(1);
    // The request, the placeholder and the reply.
    expect(answered('chat.postMessage', 200)).toHaveLength(3);
  }, 45_000);
});
