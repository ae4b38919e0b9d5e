import { groundReview } from '../../src/consultation/grounding';
import type { FakeMessage } from '../fakes/slack-api-fake';
import { fixtureThread, longReview, shortAnswer } from '../fixtures/reviews';
import { sampleReview } from '../fixtures/sample-review';
import { harnessForEachTest } from '../helpers/architect-harness';
import { botReplies, isReview, mention, shownText, slashCommand } from '../helpers/slack-actions';
import { blockActionsBody, CHANNEL, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { waitForReview } from '../helpers/waits';

const FORM = { contentType: 'application/x-www-form-urlencoded' as const };
type Element = { action_id?: string; value?: string; positive_button?: { value: string } };

/** The long design thread of the fixtures, as its people posted it, and its root's ts. */
function postLongThread(app: ReturnType<typeof harnessForEachTest>['h']): string {
  const [root, ...replies] = fixtureThread('long-review').messages.filter((m) => m.user !== 'UBOT');
  for (const m of fixtureThread('long-review').messages)
    app.slack.addUser(m.user, { name: m.author, real_name: m.author });
  const rootTs = app.slack.addMessage(CHANNEL, { user: root?.user ?? USER, text: root?.text ?? '' });
  for (const m of replies) app.slack.addMessage(CHANNEL, { user: m.user, text: m.text, thread_ts: rootTs });
  return rootTs;
}

function elementsOf(message: { blocks?: unknown[] }): Element[] {
  return ((message.blocks ?? []) as { type: string; elements?: Element[] }[])
    .filter((b) => b.type === 'actions' || b.type === 'context_actions')
    .flatMap((b) => b.elements ?? []);
}

type App = ReturnType<typeof harnessForEachTest>['h'];

/** A design posted in the channel, the bot asked to review it, and its finished reply. */
async function askForReview(h: App, timeoutMs = 20_000): Promise<{ rootTs: string; reply: FakeMessage }> {
  const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: one Postgres.' });
  await mention(h, { text: '<@UBOT> review', threadTs: rootTs });
  return { rootTs, reply: await waitForReview(h, rootTs, timeoutMs) };
}

/** A click on a feedback control of `reply`, as Slack sends it. */
async function vote(h: App, reply: { ts: string }, threadTs: string, actionId: string, value: string) {
  const res = await signedPost(
    h.eventsUrl,
    blockActionsBody({ actionId, value, messageTs: reply.ts, threadTs }),
    FORM,
  );
  expect(res.status).toBe(200);
}

/** Waits until /metrics counts one `value` vote on the seed agent's review. */
function feedbackCounted(h: App, value: 'up' | 'down') {
  const metric = new RegExp(
    `architect_review_feedback_total\\{agent="backend-architect",kind="review",value="${value}"\\} 1`,
  );
  return h.slack.waitFor(
    async () => metric.test(await (await fetch(`${h.baseUrl}/metrics`)).text()) || undefined,
  );
}

describe('the reply a team meets in the thread', () => {
  const app = harnessForEachTest();

  it('delivers a verbose model answer (2,300 words) with one Claude request and nothing Slack refuses', async () => {
    const { h } = app;
    const rootTs = postLongThread(h);
    h.claude.enqueue({ kind: 'review', review: longReview() });
    await mention(h, { text: '<@UBOT> review the split please', threadTs: rootTs });
    const reply = await waitForReview(h, rootTs);

    expect(h.claude.requests).toHaveLength(1);
    expect(h.slack.calls.filter((c) => c.method.startsWith('chat.') && c.response?.ok === false)).toEqual([]);
    expect(botReplies(h, rootTs).map((m) => m.ts)).toEqual([reply.ts]);
    const shown = shownText(reply);
    expect(shown).toContain(longReview().headline.slice(0, 50));
    // No mention or broadcast written by the model reaches Slack as one.
    expect(JSON.stringify(h.slack.callsTo('chat.postMessage').map((c) => c.params))).not.toMatch(
      /<!(channel|here|everyone|subteam)|<@U0ALICE>/,
    );
  });

  it('answers a one-line question asked with /architect, and reviews when the command says review', async () => {
    const { h } = app;
    const lastTurn = (request: { body: Record<string, unknown> } | undefined) =>
      JSON.stringify((request?.body.messages as unknown[] | undefined)?.at(-1) ?? '');
    h.claude.enqueue({ kind: 'review', review: shortAnswer() });
    await slashCommand(h, 'UUIDv7 or bigserial for order ids?');
    await h.claude.waitForRequests(1);
    expect(lastTurn(h.claude.lastRequest())).toMatch(/If this is a question, give an `answer`/);
    expect(lastTurn(h.claude.lastRequest())).not.toMatch(/kind `review`/);
    const root = await h.slack.waitFor(() => h.slack.channelMessages(CHANNEL).find((m) => !m.thread_ts));
    const reply = await waitForReview(h, root.ts);
    expect(shownText(reply)).toContain('UUIDv7 as the key');
    expect(shownText(reply)).not.toMatch(/Sound with changes|Rethink|no significant issues/);

    h.claude.enqueue({ kind: 'review', review: longReview() });
    await slashCommand(h, 'review orders and payments on Kafka with an outbox');
    await h.claude.waitForRequests(2);
    expect(lastTurn(h.claude.lastRequest())).toMatch(/architecture review \(kind `review`\)/);
  });

  it('opens the full review, every finding with its recommendation, from the reply’s button', async () => {
    const { h } = app;
    const rootTs = postLongThread(h);
    h.claude.enqueue({ kind: 'review', review: longReview() });
    await mention(h, { text: '<@UBOT> review', threadTs: rootTs });
    const reply = await waitForReview(h, rootTs);
    const full = elementsOf(reply).find((e) => e.action_id === 'open_full_review');

    const res = await signedPost(
      h.eventsUrl,
      blockActionsBody({
        actionId: 'open_full_review',
        value: String(full?.value),
        messageTs: reply.ts,
        threadTs: rootTs,
      }),
      FORM,
    );
    expect(res.status).toBe(200);
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    expect(opened.response?.ok).toBe(true);
    const modal = JSON.stringify(opened.params.view);
    for (const f of longReview().findings)
      expect(modal).toContain(f.title.slice(0, 30).replace(/&/g, '&amp;'));
    // The one quote that is not in the thread is flagged rather than shown as the thread's words.
    expect(modal).toContain('Not tied to a quote from the thread');
  });

  it('posts the full review in the thread when Slack refuses the modal, so the click still gets it', async () => {
    const { h } = app;
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: one Postgres, nightly export.' });
    await mention(h, { text: '<@UBOT> review', threadTs: rootTs });
    const reply = await waitForReview(h, rootTs);
    h.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const full = elementsOf(reply).find((e) => e.action_id === 'open_full_review');
    await signedPost(
      h.eventsUrl,
      blockActionsBody({
        actionId: 'open_full_review',
        value: String(full?.value),
        messageTs: reply.ts,
        threadTs: rootTs,
      }),
      FORM,
    );
    const posted = await h.slack.waitFor(() =>
      botReplies(h, rootTs).find((m) => m.text.startsWith('Full review by backend-architect')),
    );
    for (const f of sampleReview().findings)
      expect(shownText(posted)).toContain(f.recommendation.slice(0, 30));
  });

  it('records 👍/👎 with the review and counts it in architect_review_feedback_total', async () => {
    const { h } = app;
    const { rootTs, reply } = await askForReview(h);
    const feedback = elementsOf(reply).find((e) => e.action_id === 'review_feedback');
    await vote(h, reply, rootTs, 'review_feedback', String(feedback?.positive_button?.value));
    await feedbackCounted(h, 'up');
  });

  it('posts a reply Slack refuses as too long again, shorter, without asking Claude again', async () => {
    const { h } = app;
    // The placeholder goes through; the reply is refused as Slack refuses a message with too much text.
    h.slack.failNext('chat.postMessage', { error: 'msg_blocks_too_long', after: 1 });
    const { rootTs, reply } = await askForReview(h);
    expect(h.claude.requests).toHaveLength(1);
    expect(shownText(reply)).toContain(sampleReview().headline);
    expect(shownText(reply)).not.toContain('feedback_buttons');
    expect(botReplies(h, rootTs).filter(isReview)).toHaveLength(1);
    // Feedback still works there, as plain buttons.
    const down = elementsOf(reply).find((e) => e.action_id === 'review_feedback_down');
    await vote(h, reply, rootTs, 'review_feedback_down', String(down?.value));
    await feedbackCounted(h, 'down');
  });

  it('re-posts from its checkpoint when Slack fails after Claude answered: one review, one Claude request', async () => {
    const { h } = app;
    // Slack refuses the reply once with an error the client does not retry: the attempt fails after
    // Claude answered, and BullMQ runs the job again.
    h.slack.failNext('chat.postMessage', { error: 'fatal_error', after: 1 });
    const { rootTs, reply } = await askForReview(h, 30_000);
    expect(h.logs.lines.some((l) => l.msg === 'consultation attempt failed')).toBe(true);
    expect(h.claude.requests).toHaveLength(1);
    expect(botReplies(h, rootTs).map((m) => m.ts)).toEqual([reply.ts]);
  }, 45_000);

  it('grounds findings in what Claude was given: the fixture’s one paraphrase is the only unverified finding', () => {
    const thread = fixtureThread('long-review')
      .messages.map((m) => m.text)
      .join('\n');
    const grounded = groundReview(longReview(), thread);
    expect(grounded.findings.filter((f) => !f.verified).map((f) => f.evidence)).toEqual([undefined]);
    expect(grounded.findings.filter((f) => f.verified).length).toBe(longReview().findings.length - 1);
  });
});
