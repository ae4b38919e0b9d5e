import type { SlackCall } from '../../fakes/slack-api-fake';
import { sampleReview } from '../../fixtures/sample-review';
import { type Harness, startHarness, startSocketHarness } from '../../helpers/architect-harness';
import { perTest } from '../../helpers/per-test';
import { expectedReviewBlocks } from '../../helpers/review-blocks';
import { botReplies, isReview, mention } from '../../helpers/slack-actions';
import { CHANNEL, eventCallback, TEAM, USER } from '../../helpers/slack-payloads';
import { waitForFailure, waitForReview } from '../../helpers/waits';

/**
 * The consultation's stages as Slack's task cards (plan_update and task_update chunks) in a steps
 * message while it runs; the fallback to the status line and the placeholder where Slack refuses the
 * chunks; and a stream Slack ends mid-way. Every way, the thread ends with exactly one review.
 */

const LONG_SUMMARY = Array.from({ length: 30 }, (_, i) => `Point ${i + 1}: keep writes on one primary.`).join(
  ' ',
);
const review = () => sampleReview({ tldr: LONG_SUMMARY });

/** The steps message's calls: those that carry chunks (the summary stream sends markdown only). */
const stepsCalls = (h: Harness, method: string): SlackCall[] =>
  h.slack.callsTo(method).filter((c) => c.params.chunks !== undefined);

async function consult(h: Harness): Promise<{ rootTs: string; placeholderTs: string }> {
  h.claude.enqueue({ kind: 'review', review: review(), latencyMs: 100, deltaDelayMs: 50 });
  const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: one Postgres for everything' });
  await mention(h, { text: '<@UBOT> thoughts?', threadTs: rootTs });
  await waitForReview(h, rootTs);
  // The status line is cleared last, once the streams are gone.
  await h.slack.waitFor(
    () => h.slack.assistantStatuses.at(-1)?.status === '' && h.slack.assistantStatuses.length > 1,
  );
  const placeholderTs = String(h.slack.callsTo('chat.postMessage')[0]?.response?.ts);
  return { rootTs, placeholderTs };
}

/** Exactly one message of the bot's in the thread: the complete review, posted after the placeholder went. */
function expectOneCompleteReview(h: Harness, rootTs: string, placeholderTs: string): void {
  const mine = botReplies(h, rootTs);
  expect(mine).toHaveLength(1);
  expect(mine[0]?.ts).not.toBe(placeholderTs);
  expect(mine.filter(isReview)).toHaveLength(1);
  const blocks = mine[0]?.blocks as Record<string, unknown>[];
  expect(blocks.slice(0, -1)).toEqual(expectedReviewBlocks(blocks, review()));
}

describe('task cards while a consultation runs, over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ PROGRESS_UPDATE_INTERVAL_MS: '50' });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  });
  afterEach(() => h.stop());

  it('shows each stage as a card that ends complete, for the requester, then leaves only the review', async () => {
    const { rootTs, placeholderTs } = await consult(h);
    const [started] = stepsCalls(h, 'chat.startStream');
    expect(started?.params).toMatchObject({
      channel: CHANNEL,
      thread_ts: rootTs,
      recipient_user_id: USER,
      recipient_team_id: TEAM,
      task_display_mode: 'plan',
    });
    const stepsTs = String(started?.response?.ts);
    const steps = h.slack.streamOf(stepsTs);
    expect(steps?.planTitle).toBe('backend-architect is reviewing');
    expect(steps?.tasks.map((t) => [t.title, t.status])).toEqual([
      ['Reading the thread', 'complete'],
      ['Reviewing with backend-architect', 'complete'],
      ['Checking the answer', 'complete'],
      ['Posting the review', 'complete'],
    ]);
    expect(steps?.tasks[0]?.details).toBe('1 message');
    expect(steps?.stopped).toBe(true);
    // The cards were progress: gone once the review replaced the placeholder.
    const deleted = h.slack.callsTo('chat.delete').find((c) => c.params.ts === stepsTs);
    expect(deleted?.response?.ok).toBe(true);
    expectOneCompleteReview(h, rootTs, placeholderTs);
  });

  it('shows the files it could not read, and why, as a card ending in error', async () => {
    const zip = h.slack.addFile('F0ZIP', {
      name: 'infra.zip',
      mimetype: 'application/zip',
      content: Buffer.from('PK'),
    });
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design attached', files: [zip] });
    await mention(h, { text: '<@UBOT> review', threadTs: rootTs });
    await waitForReview(h, rootTs);
    const stepsTs = String(stepsCalls(h, 'chat.startStream')[0]?.response?.ts);
    const files = await h.slack.waitFor(() => h.slack.streamOf(stepsTs)?.tasks.find((t) => t.id === 'files'));
    expect(files).toMatchObject({ title: '1 file not read', status: 'error' });
    expect(files.details).toContain('infra.zip');
  });

  it('where Slack refuses the chunks, falls back once to the status line and placeholder, and delivers one review', async () => {
    h.slack.refuseTaskChunks('invalid_chunks');
    const { rootTs, placeholderTs } = await consult(h);
    // One attempt, refused; never tried again in this consultation.
    expect(stepsCalls(h, 'chat.startStream').map((c) => c.response?.error)).toEqual(['invalid_chunks']);
    expect(stepsCalls(h, 'chat.appendStream')).toEqual([]);
    const fallback = h.logs.lines.filter((l) => String(l.msg).startsWith('task cards unavailable'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]?.level).toBe(20);
    expect(h.slack.assistantStatuses[0]?.status).toBe('is reviewing…');
    expect(
      h.slack.callsTo('chat.update').some((c) => /is (reading|thinking|writing)/.test(String(c.params.text))),
    ).toBe(true);
    expectOneCompleteReview(h, rootTs, placeholderTs);
  });

  it('a stream Slack ends mid-reply rolls the cards over and still delivers one complete review', async () => {
    h.slack.endStreamsAfterAppends(1);
    const { rootTs, placeholderTs } = await consult(h);
    const starts = stepsCalls(h, 'chat.startStream');
    expect(starts.length).toBeGreaterThanOrEqual(2);
    const refused = h.slack
      .callsTo('chat.appendStream')
      .filter((c) => c.response?.error === 'message_not_in_streaming_state');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // Each rolled-over steps message replaced the one before: none is left, and no card was lost.
    for (const start of starts) {
      const ts = String(start.response?.ts);
      expect(h.slack.callsTo('chat.delete').some((c) => c.params.ts === ts)).toBe(true);
    }
    const last = h.slack.streamOf(String(starts.at(-1)?.response?.ts));
    expect(last?.tasks.map((t) => t.id)).toEqual(['read', 'review', 'check', 'post']);
    expectOneCompleteReview(h, rootTs, placeholderTs);
  });

  it('a failed consultation ends the card under way as an error with its reason', async () => {
    h.claude.enqueue({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long',
    });
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: giant' });
    await mention(h, { text: '<@UBOT> review', threadTs: rootTs });
    await waitForFailure(h, rootTs);
    const stepsTs = String(stepsCalls(h, 'chat.startStream')[0]?.response?.ts);
    const tasks = await h.slack.waitFor(() => {
      const t = h.slack.streamOf(stepsTs)?.tasks;
      return t?.every((x) => x.status === 'complete' || x.status === 'error') && t;
    });
    expect(tasks.find((t) => t.id === 'read')?.status).toBe('complete');
    const failedCard = tasks.find((t) => t.id === 'review');
    expect(failedCard?.status).toBe('error');
    expect(failedCard?.details?.length).toBeGreaterThan(0);
    expect(tasks.find((t) => t.id === 'post')?.details).toMatch(/not reached/);
  });
});

describe('task cards in Socket Mode', () => {
  const h = perTest(
    () => startSocketHarness({ PROGRESS_UPDATE_INTERVAL_MS: '50' }),
    (h) => h.stop(),
  );

  async function consultOverSocket(): Promise<string> {
    h.claude.enqueue({ kind: 'review', review: review(), latencyMs: 100, deltaDelayMs: 50 });
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: one Postgres for everything' });
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: '<@UBOT> thoughts?', thread_ts: rootTs });
    await h.slack.sendEnvelope(
      'events_api',
      JSON.parse(
        eventCallback({
          type: 'app_mention',
          user: USER,
          text: '<@UBOT> thoughts?',
          ts,
          thread_ts: rootTs,
          channel: CHANNEL,
        }),
      ),
    );
    await waitForReview(h, rootTs);
    await h.slack.waitFor(
      () => h.slack.assistantStatuses.at(-1)?.status === '' && h.slack.assistantStatuses.length > 1,
    );
    return rootTs;
  }

  it('with task cards: one review, every card complete', async () => {
    const rootTs = await consultOverSocket();
    const stepsTs = String(stepsCalls(h, 'chat.startStream')[0]?.response?.ts);
    expect(h.slack.streamOf(stepsTs)?.tasks.every((t) => t.status === 'complete')).toBe(true);
    expect(botReplies(h, rootTs).filter(isReview)).toHaveLength(1);
    expect(botReplies(h, rootTs)).toHaveLength(1);
  });

  it('without them (refused): one review', async () => {
    h.slack.refuseTaskChunks();
    const rootTs = await consultOverSocket();
    expect(stepsCalls(h, 'chat.startStream').every((c) => c.response?.ok === false)).toBe(true);
    expect(botReplies(h, rootTs).filter(isReview)).toHaveLength(1);
    expect(botReplies(h, rootTs)).toHaveLength(1);
  });
});
