import { harnessQueue } from '../faults/fault-helpers';
import { type Harness, harnessForEachTest, startSocketHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { botReplies, isReview, shownText } from '../helpers/slack-actions';
import { CHANNEL, messageShortcutBody, reviewFormSubmissionBody, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { waitForReview, waitUntilIdle } from '../helpers/waits';

/**
 * "…" → "Review with Architect" on a message, end to end: the modal opens with the shortcut's
 * trigger_id, and its submission reviews that message in its thread, like the review emoji.
 */

const FORM = { contentType: 'application/x-www-form-urlencoded' } as const;
const DESIGN = 'Design: the payments service writes to a shared MySQL and publishes to SNS';

/** The modal the app opened, read back from views.open. */
function openedView(h: Harness): { id: string; callback_id: string; private_metadata: string } {
  const call = h.slack.callsTo('views.open').at(-1);
  const view = call?.response?.view as { id: string; callback_id: string; private_metadata: string };
  return { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata };
}

describe('the "Review with Architect" message shortcut, over HTTP', () => {
  const app = harnessForEachTest();

  it('opens the modal at once, and its submission (twice) yields one review of that message', async () => {
    const { h } = app;
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: DESIGN });
    const res = await signedPost(h.eventsUrl, messageShortcutBody({ message: { ts, text: DESIGN } }), FORM);
    expect(res.status).toBe(200);
    const open = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    expect(open.params.trigger_id).toMatch(/shortcut$/);
    expect(open.response?.ok).toBe(true);
    const view = openedView(h);
    expect(view.callback_id).toBe('review_with_architect_modal');
    expect(shownText(open.params.view as { blocks?: unknown })).toContain('backend-architect');

    const submission = reviewFormSubmissionBody({ view, agent: 'backend-architect', note: 'failure modes' });
    for (let i = 0; i < 2; i++) {
      const submitted = await signedPost(h.eventsUrl, submission, FORM);
      expect(submitted.status).toBe(200);
      expect(await submitted.text()).toBe('');
    }
    const review = await waitForReview(h, ts);
    expect(review.thread_ts).toBe(ts);
    const queue = harnessQueue(h);
    try {
      await waitUntilIdle(queue);
    } finally {
      await queue.close();
    }
    expect(botReplies(h, ts).filter(isReview)).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(1);
    const sent = JSON.stringify(h.claude.lastRequest()?.body.messages);
    expect(sent).toContain('shared MySQL');
    expect(sent).toContain('focusing on: failure modes');
  });

  it('in a channel the bot cannot read, the person gets an ephemeral explanation', async () => {
    const { h } = app;
    h.slack.setChannelMissing('C0PRIVATE');
    const body = messageShortcutBody({
      message: { ts: '1700000000.000900', text: DESIGN },
      channel: 'C0PRIVATE',
      responseUrl: h.slack.responseUrl('shortcut-1'),
    });
    await signedPost(h.eventsUrl, body, FORM);
    await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    await signedPost(
      h.eventsUrl,
      reviewFormSubmissionBody({ view: openedView(h), agent: 'backend-architect' }),
      FORM,
    );
    const told = await h.slack.waitFor(() => h.slack.responses.find((r) => r.id === 'shortcut-1'));
    expect(told.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(told.body.text)).toContain('/invite @Architect');
    expect(h.claude.requests).toEqual([]);
  });
});

describe('the "Review with Architect" message shortcut, in Socket Mode', () => {
  const h = perTest(startSocketHarness, (h) => h.stop());

  const payloadOf = (form: string): unknown => JSON.parse(new URLSearchParams(form).get('payload') ?? '{}');

  it('the shortcut envelope opens the modal and its submission reviews the message in its thread', async () => {
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: DESIGN });
    await h.slack.sendEnvelope(
      'interactive',
      payloadOf(messageShortcutBody({ message: { ts, text: DESIGN } })),
    );
    await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    await h.slack.sendEnvelope(
      'interactive',
      payloadOf(reviewFormSubmissionBody({ view: openedView(h), agent: 'backend-architect' })),
    );
    const review = await waitForReview(h, ts);
    expect(review.thread_ts).toBe(ts);
    expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain('shared MySQL');
  });
});
