import {
  botReplies,
  hasRetryButton,
  isFailure,
  isReview,
  mention,
  shownText,
} from '../helpers/slack-actions';
import { waitForFailure, waitForReview, waitUntilIdle } from '../helpers/waits';
import { faultHarnessForEachTest } from './fault-helpers';

const STREAM_RETRIES = 2;

describe('Claude fails mid-consultation', () => {
  const fault = faultHarnessForEachTest({
    env: { ANTHROPIC_STREAM_RETRIES: String(STREAM_RETRIES) },
    lazy: true,
  });
  /** Starts the app with these settings on top of the suite's; resolves with it. */
  const start = async (env: Record<string, string> = {}) => {
    await fault.start(env);
    return fault.h;
  };

  /** The thread ends with exactly one message from the bot, a review, and the job is finished. */
  const expectOneReview = async (ts: string) => {
    const { h, queue } = fault;
    await waitForReview(h, ts, 30_000);
    expect(await waitUntilIdle(queue, 30_000)).toMatchObject({ completed: 1, failed: 0 });
    expect(botReplies(h, ts)).toHaveLength(1);
    expect(botReplies(h, ts).filter(isReview)).toHaveLength(1);
  };

  /** The thread ends with exactly one message from the bot: the placeholder turned into a clear error with Retry. */
  const expectOneError = async (ts: string, reason: RegExp) => {
    const { h, queue } = fault;
    const failure = await waitForFailure(h, ts, 30_000);
    await waitUntilIdle(queue, 30_000);
    expect(shownText(failure)).toMatch(reason);
    expect(hasRetryButton(failure)).toBe(true);
    expect(botReplies(h, ts)).toHaveLength(1);
    expect(botReplies(h, ts).filter(isFailure)).toHaveLength(1);
    expect(botReplies(h, ts).filter(isReview)).toHaveLength(0);
    return failure;
  };

  it('the stream drops mid-answer once, then Claude answers: one review', async () => {
    const h = await start();
    h.claude.enqueue({ kind: 'dropMidStream' }, { kind: 'review' });
    const ts = await mention(h);
    await expectOneReview(ts);
    expect(h.claude.requests).toHaveLength(2);
  });

  it('the stream drops every time: one clear error with Retry, and a bounded number of Claude requests', async () => {
    const h = await start();
    for (let i = 0; i < 10; i++) h.claude.enqueue({ kind: 'dropMidStream' });
    const ts = await mention(h);
    await expectOneError(ts, /answer kept breaking off/);
    expect(h.claude.requests).toHaveLength(STREAM_RETRIES + 1);
  });

  it('Claude never answers: one clear "took too long" error after the SDK’s retries', async () => {
    const h = await start({ ANTHROPIC_TIMEOUT_MS: '1000', ANTHROPIC_MAX_RETRIES: '1' });
    for (let i = 0; i < 10; i++) h.claude.enqueue({ kind: 'hang' });
    const ts = await mention(h);
    await expectOneError(ts, /took too long/);
    // The first request and the SDK's one retry; a stream that never started is not retried again.
    expect(h.claude.requests).toHaveLength(2);
  });

  it('a stream that starts then goes silent is treated as broken, retried, and ends in one review', async () => {
    const h = await start({ ANTHROPIC_IDLE_TIMEOUT_MS: '500' });
    h.claude.enqueue({ kind: 'stallMidStream' }, { kind: 'review' });
    const ts = await mention(h);
    await expectOneReview(ts);
    expect(h.claude.requests).toHaveLength(2);
  });

  it('a stream that goes silent every time: one "took too long" error within the retry bound', async () => {
    const h = await start({ ANTHROPIC_IDLE_TIMEOUT_MS: '300' });
    for (let i = 0; i < 10; i++) h.claude.enqueue({ kind: 'stallMidStream' });
    const ts = await mention(h);
    await expectOneError(ts, /took too long/);
    expect(h.claude.requests).toHaveLength(STREAM_RETRIES + 1);
  });

  it('malformed output twice: one error saying it was not in the review format, after exactly one repair', async () => {
    const h = await start();
    h.claude.enqueue(
      { kind: 'toolInput', input: { summary: 3 }, usage: { input_tokens: 1000, output_tokens: 300 } },
      { kind: 'toolInput', input: { summary: 3 }, usage: { input_tokens: 1100, output_tokens: 300 } },
    );
    const ts = await mention(h);
    await expectOneError(ts, /not in the review format/);
    expect(h.claude.requests).toHaveLength(2);
    // Both failed calls were billed, so both count: in the metrics and against the workspace's day.
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/architect_claude_tokens_total\{kind="input",model="[^"]+"\} 2100/);
    expect(metrics).toMatch(/architect_claude_tokens_total\{kind="output",model="[^"]+"\} 600/);
    // The repair request told Claude what was wrong.
    expect(JSON.stringify(h.claude.requests[1]?.body.messages)).toContain(
      'did not match the required schema',
    );
  });

  it('malformed output once, then a valid review: one review', async () => {
    const h = await start();
    h.claude.enqueue({ kind: 'toolInput', input: { summary: 3 } }, { kind: 'review' });
    const ts = await mention(h);
    await expectOneReview(ts);
    expect(h.claude.requests).toHaveLength(2);
  });
});
