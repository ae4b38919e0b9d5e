import { harnessForEachTest } from '../../../helpers/architect-harness';
import { hasRetryButton, mention } from '../../../helpers/slack-actions';
import { blockActionsBody, CHANNEL, USER } from '../../../helpers/slack-payloads';
import { signedPost } from '../../../helpers/slack-signing';
import { waitForFailure, waitForReview } from '../../../helpers/waits';

const BOB = 'U0BOB';
const FORM = { contentType: 'application/x-www-form-urlencoded' as const };

describe('Retry on a failed review is admitted as the person who clicks it', () => {
  const app = harnessForEachTest();

  /** Alice asks, Claude refuses once: the failure with its Retry button, and the thread. */
  async function failedReview(env: Record<string, string>) {
    const h = await app.restart(env);
    h.claude.enqueue({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long',
    });
    const ts = await mention(h, { text: '<@UBOT> review' });
    const failed = await waitForFailure(h, ts);
    expect(hasRetryButton(failed)).toBe(true);
    const value = String(
      (JSON.stringify(failed.blocks).match(/"action_id":"retry_consultation"[^}]*"value":"([^"]+)"/) ??
        JSON.stringify(failed.blocks).match(/"value":"([^"]+)"[^}]*"action_id":"retry_consultation"/))?.[1],
    );
    const clickRetry = (user: string) =>
      signedPost(
        h.eventsUrl,
        blockActionsBody({ actionId: 'retry_consultation', value, messageTs: failed.ts, threadTs: ts, user }),
        FORM,
      );
    return { h, ts, clickRetry };
  }

  it('someone outside ALLOWED_USERS is told so, and Claude is not asked again', async () => {
    const { h, clickRetry } = await failedReview({ ALLOWED_USERS: USER });
    expect((await clickRetry(BOB)).status).toBe(200);
    const note = await h.slack.waitFor(() => h.slack.ephemerals.find((e) => e.user === BOB));
    expect(note.text).toMatch(/isn’t enabled for you/);
    expect(h.claude.requests).toHaveLength(1);
  });

  it('spends the clicker’s hourly quota, not the original requester’s', async () => {
    const { h, ts, clickRetry } = await failedReview({ RATE_LIMIT_PER_USER_PER_HOUR: '1' });
    // Alice's one request this hour is spent; Bob's Retry is his own first one.
    await clickRetry(BOB);
    await waitForReview(h, ts);
    expect(h.claude.requests).toHaveLength(2);
    // Alice retrying now would be her second: refused, with when it resets.
    h.slack.addMessage(CHANNEL, { user: USER, text: 'again' });
    const again = await mention(h, { text: '<@UBOT> review again' });
    const refusal = await h.slack.waitFor(() =>
      h.slack.ephemerals.find((e) => e.thread_ts === again || /this hour/.test(e.text)),
    );
    expect(refusal.text).toMatch(/1 reviews in the last hour/);
  });
});
