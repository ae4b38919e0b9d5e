import type { SlackCall } from '../fakes/slack-api-fake';
import { sampleReview } from '../fixtures/sample-review';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { expectedReviewBlocks } from '../helpers/review-blocks';
import { mention } from '../helpers/slack-actions';
import { CHANNEL, TEAM, USER } from '../helpers/slack-payloads';

/**
 * The summary streamed with Slack's native streaming (chat.startStream / appendStream / stopStream)
 * while Claude writes, the chat.update fallback when a stream dies, and the setting that turns
 * streaming off. Whichever way the progress went, the thread ends with the same structured review in
 * the placeholder and no other message of the bot's.
 */

/** Long enough that Claude's answer carries it over several deltas, so the stream grows in steps. */
const LONG_SUMMARY = Array.from(
  { length: 40 },
  (_, i) => `Point ${i + 1}: keep the write path on one primary and move reads to a replica.`,
).join(' ');
const review = () => sampleReview({ tldr: LONG_SUMMARY });

const PROGRESS_INTERVAL_MS = 100;
const DELTA_DELAY_MS = 300;

const isProgress = (text: unknown) => /is (reading|thinking|writing)/.test(String(text));
const markdownOf = (calls: SlackCall[]) => calls.map((c) => String(c.params.markdown_text ?? ''));

describe('the summary streamed while Claude writes, end to end', () => {
  let h: Harness;

  afterEach(async () => {
    await h.stop();
  });

  const start = async (env: Record<string, string> = {}) => {
    h = await startHarness({ PROGRESS_UPDATE_INTERVAL_MS: String(PROGRESS_INTERVAL_MS), ...env });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    // The summary stream on its own, as for an app without task cards (test/worker/progress/task-cards.test.ts).
    h.slack.refuseTaskChunks();
  };

  /** The summary stream's calls: markdown only, never the refused task cards' chunks. */
  const summaryCalls = (method: string) =>
    h.slack.callsTo(method).filter((c) => c.params.chunks === undefined);

  /** Mentions the bot under a new design and waits until the consultation is over. */
  async function consult(): Promise<{ rootTs: string; placeholderTs: string }> {
    h.claude.enqueue({ kind: 'review', review: review(), latencyMs: 200, deltaDelayMs: DELTA_DELAY_MS });
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: one Postgres for everything' });
    await mention(h, { text: '<@UBOT> thoughts?', threadTs: rootTs });
    // Slack's status line is cleared last, once the review is in and the stream is gone.
    await h.slack.waitFor(
      () => h.slack.assistantStatuses.length > 1 && h.slack.assistantStatuses.at(-1)?.status === '',
      20_000,
    );
    const placeholderTs = String(h.slack.callsTo('chat.postMessage')[0]?.response?.ts);
    return { rootTs, placeholderTs };
  }

  /**
   * The thread holds the request and exactly one message of the bot's: the review, posted as a new
   * message (Slack notifies the thread of that, not of an edit), the placeholder gone.
   */
  function expectOnlyTheReview(rootTs: string, placeholderTs: string): void {
    const mine = h.slack.threadMessages(CHANNEL, rootTs).filter((m) => m.bot_id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.ts).not.toBe(placeholderTs);
    const [message] = mine;
    expect(isProgress(message?.text)).toBe(false);
    const blocks = message?.blocks as Record<string, unknown>[];
    // All but the context line (time taken and tokens differ from run to run).
    expect(blocks.slice(0, -1)).toEqual(expectedReviewBlocks(blocks, review()));
  }

  it('streams the summary in a reply (start, growing appends, stop), then leaves only the structured review', async () => {
    await start();
    const { rootTs, placeholderTs } = await consult();

    const [started, ...moreStarts] = summaryCalls('chat.startStream');
    expect(moreStarts).toHaveLength(0);
    expect(started?.params).toMatchObject({
      channel: CHANNEL,
      thread_ts: rootTs,
      recipient_user_id: USER,
      recipient_team_id: TEAM,
    });
    const streamTs = String(started?.response?.ts);
    const appends = summaryCalls('chat.appendStream');
    expect(appends.length).toBeGreaterThanOrEqual(1);
    expect(appends.every((c) => c.params.ts === streamTs && c.response?.ok === true)).toBe(true);
    const stops = summaryCalls('chat.stopStream');
    expect(stops).toHaveLength(1);
    expect(stops[0]?.params.ts).toBe(streamTs);

    // In order, and each call carries only what is new: together they spell the summary.
    const arrived = (c: SlackCall | undefined) => c?.arrived ?? Number.NaN;
    expect(arrived(started)).toBeLessThan(arrived(appends[0]));
    expect(arrived(appends.at(-1))).toBeLessThan(arrived(stops[0]));
    const pieces = markdownOf([started as SlackCall, ...appends]);
    expect(pieces.every((p) => p.length > 0)).toBe(true);
    // The verdict and headline come first, as soon as Claude has written them; then the TL;DR grows.
    expect(pieces[0]).toMatch(/^\*\*Sound with changes\*\* — /);
    expect(pieces.join('')).toBe(`**Sound with changes** — ${review().headline}\n\n${LONG_SUMMARY}`);

    // The placeholder said the agent was writing, without repeating the summary the stream showed.
    const placeholderUpdates = h.slack.callsTo('chat.update').filter((c) => c.params.ts === placeholderTs);
    const writing = placeholderUpdates.filter((c) => /is writing/.test(String(c.params.text)));
    expect(writing.length).toBeGreaterThanOrEqual(1);
    expect(writing.some((c) => String(c.params.text).includes('Point 1:'))).toBe(false);

    // The streamed reply was deleted once the review replaced the placeholder.
    const deletes = h.slack.callsTo('chat.delete').filter((c) => c.params.ts === streamTs);
    expect(deletes).toHaveLength(1);
    expect(arrived(deletes[0])).toBeGreaterThan(arrived(placeholderUpdates.at(-1)));
    expectOnlyTheReview(rootTs, placeholderTs);
  });

  it.each([
    [
      'Slack answers message_not_in_streaming_state',
      (harness: Harness) =>
        harness.slack.failNext('chat.appendStream', { error: 'message_not_in_streaming_state' }),
    ],
    [
      'the stream idled out on Slack’s side',
      (harness: Harness) => harness.slack.setStreamIdleLimit(DELTA_DELAY_MS / 3),
    ],
  ])(
    'falls back to updating the placeholder when %s, and the review still lands once',
    async (_, breakIt) => {
      await start();
      breakIt(h);
      const { rootTs, placeholderTs } = await consult();

      const [started] = summaryCalls('chat.startStream');
      const streamTs = String(started?.response?.ts);
      const failed = summaryCalls('chat.appendStream').find((c) => c.response?.ok === false);
      expect(failed?.response?.error).toBe('message_not_in_streaming_state');
      // Nothing more is streamed after the failure...
      expect(summaryCalls('chat.appendStream').at(-1)).toBe(failed);
      expect(summaryCalls('chat.startStream')).toHaveLength(1);
      // ...the broken reply goes, and the placeholder shows the summary instead.
      const deleted = h.slack.callsTo('chat.delete').find((c) => c.params.ts === streamTs);
      expect(deleted?.response?.ok).toBe(true);
      const fallback = h.slack
        .callsTo('chat.update')
        .filter((c) => c.params.ts === placeholderTs && /is writing/.test(String(c.params.text)))
        .filter((c) => String(c.params.text).includes('Point 1:'));
      expect(fallback.length).toBeGreaterThanOrEqual(1);
      expect(fallback[0]?.arrived ?? 0).toBeGreaterThan(failed?.arrived ?? Number.NaN);

      expectOnlyTheReview(rootTs, placeholderTs);
      // The placeholder and the review: nothing posted twice.
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
    },
  );

  it('with STREAMING_ENABLED=false shows the summary through chat.update of the placeholder only', async () => {
    await start({ STREAMING_ENABLED: 'false' });
    const { rootTs, placeholderTs } = await consult();

    for (const method of ['chat.startStream', 'chat.appendStream', 'chat.stopStream']) {
      expect(h.slack.callsTo(method)).toHaveLength(0);
    }
    // The only deletion is the placeholder's, once the review is in.
    expect(h.slack.callsTo('chat.delete').map((c) => c.params.ts)).toEqual([placeholderTs]);
    const writing = h.slack
      .callsTo('chat.update')
      .filter((c) => c.params.ts === placeholderTs && /is writing/.test(String(c.params.text)));
    expect(writing.some((c) => String(c.params.text).includes('Point 1:'))).toBe(true);
    expectOnlyTheReview(rootTs, placeholderTs);
  });
});
