import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleReview } from '../fixtures/sample-review';
import { type Harness, ROOT, startAnotherInstance, startHarness } from '../helpers/architect-harness';
import { botReplies, isReview, mention } from '../helpers/slack-actions';
import {
  blockActionsBody,
  CHANNEL,
  selectActionBody,
  USER,
  viewSubmissionBody,
} from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { pause } from '../helpers/waits';

const FORM = { contentType: 'application/x-www-form-urlencoded' as const };

type Block = {
  type: string;
  action_id?: string;
  value?: string;
  elements?: Block[];
  options?: { value: string }[];
};
type View = { id: string; callback_id: string; private_metadata: string; blocks: Block[] };

/** A second agent next to the seed one, for "Ask another agent". */
function agentsDirWithTwoAgents(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'architect-agents-'));
  cpSync(path.join(ROOT, 'agents/backend-architect.md'), path.join(dir, 'backend-architect.md'));
  writeFileSync(
    path.join(dir, 'security-reviewer.md'),
    '---\nname: security-reviewer\ndescription: Reviews designs for security risks.\nmodel: haiku\n---\nYou are a security reviewer.\n',
  );
  return dir;
}

describe('the clarifying-question loop', () => {
  let h: Harness;
  let threadTs: string;
  let review: { ts: string; blocks?: unknown[] };

  beforeEach(async () => {
    h = await startHarness({ AGENTS_DIR: agentsDirWithTwoAgents() });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    h.slack.addUser('U0BOB', { name: 'bob', display_name: 'Bob' });
    threadTs = h.slack.addMessage(CHANNEL, {
      user: USER,
      text: 'Design: one Postgres, a Node API, nightly exports.',
    });
    await mention(h, { text: '<@UBOT> review?', threadTs });
    review = await waitForReviewCount(1);
  });
  afterEach(async () => {
    await h.stop();
  });

  const reviewsInThread = () => botReplies(h, threadTs).filter(isReview);
  const waitForReviewCount = async (n: number) => {
    await h.slack.waitFor(() => reviewsInThread().length >= n);
    const all = reviewsInThread();
    return all[n - 1] as { ts: string; blocks?: unknown[] };
  };
  const elements = (message: { blocks?: unknown[] }) =>
    ((message.blocks ?? []) as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  const button = (message: { blocks?: unknown[] }, actionId: string) => {
    const found = elements(message).find((e) => e.action_id === actionId);
    if (!found?.value) throw new Error(`no ${actionId} button`);
    return found.value;
  };
  const click = (actionId: string, value: string, url = h.eventsUrl, user = USER) =>
    signedPost(url, blockActionsBody({ actionId, value, messageTs: review.ts, threadTs, user }), FORM);
  const openedViews = async (n: number): Promise<View[]> => {
    await h.slack.waitFor(() => h.slack.callsTo('views.open').length >= n);
    return h.slack.callsTo('views.open').map((c) => c.params.view as View);
  };
  const submit = (
    view: View,
    answers: Record<string, string>,
    opts: { rerun?: boolean; user?: string; viewId?: string } = {},
  ) =>
    signedPost(
      h.eventsUrl,
      viewSubmissionBody({
        view: { ...view, id: opts.viewId ?? 'V0000001' },
        answers,
        rerun: opts.rerun,
        user: opts.user,
      }),
      FORM,
    );

  it('a question button opens a modal with the full question, the review’s summary and a re-run choice', async () => {
    const res = await click('clarify_question_0', button(review, 'clarify_question_0'));
    expect(res.status).toBe(200);
    const [view] = await openedViews(1);
    const call = h.slack.callsTo('views.open')[0];
    expect(String(call?.params.trigger_id)).toMatch(/trigger$/);
    const shown = JSON.stringify(view);
    expect(shown).toContain(sampleReview().clarifyingQuestions[0]?.question.slice(0, 40));
    expect(shown).toContain(sampleReview().headline);
    expect(shown).toContain('Re-run the review');
  });

  it('submitting posts the answer in the thread as the person who answered, then one refined review', async () => {
    await click('clarify_question_0', button(review, 'clarify_question_0'));
    const [view] = await openedViews(1);
    // Claude writes only what changed: F2 resolved, F1 left unmentioned (it stands), one new finding.
    const earlier = sampleReview();
    h.claude.enqueue({
      kind: 'toolInput',
      tool: 'submit_review_changes',
      input: {
        verdict: 'sound_with_changes',
        headline: 'Orders on one Postgres: sound for 2,000 users once exports leave the primary',
        tldr: 'At 2,000 daily users one Postgres is plenty; the export still has to move off the primary.',
        summary: 'Sized for 2,000 users: no sharding needed.',
        resolved: ['F2'],
        changed: [],
        added: [
          {
            severity: 'minor',
            category: 'cost',
            title: 'Growth of 10% a month doubles load in seven months',
            detail: 'Plan the next size up before it is needed.',
            recommendation: 'Review capacity every quarter.',
            evidence: 'growing 10% a month',
          },
        ],
        clarifyingQuestions: earlier.clarifyingQuestions,
      },
    });
    const res = await submit(view as View, { answer_0: 'About 2,000 daily users, growing 10% a month.' });
    expect(res.status).toBe(200);

    const refined = await waitForReviewCount(2);
    const answerPost = h.slack
      .threadMessages(CHANNEL, threadTs)
      .find((m) => m.text.includes('answered the architect'));
    expect(answerPost?.text).toContain(`<@${USER}>`);
    expect(answerPost?.text).toContain('About 2,000 daily users');
    const shownRefined = JSON.stringify(refined.blocks);
    expect(shownRefined).toContain('What changed');
    // The thread shows what changed: the resolved finding by name, what still stands, what is new.
    expect(shownRefined).toContain(`*Resolved:* ${earlier.findings[1]?.title}`);
    expect(shownRefined).toContain('*Still open:* 2 · *New:* 1');
    // The blocker Claude did not mention still stands, counted and shown.
    expect(shownRefined).toContain(earlier.findings[0]?.title.slice(0, 40));
    expect(shownRefined).toContain('1 blocker');

    const followUp = h.claude.lastRequest();
    const sent = JSON.stringify(followUp?.body.messages);
    expect(sent).toContain(sampleReview().clarifyingQuestions[0]?.question.slice(0, 40));
    expect(sent).toContain('About 2,000 daily users, growing 10% a month.');
    // The previous review goes to Claude in full: the thread itself shows only its compact reply.
    expect(sent).toContain('previous_review');
    for (const f of sampleReview().findings) expect(sent).toContain(f.recommendation.slice(0, 40));
    // Whole: the sections and each question's reason too, with the ids the changes name findings by.
    expect(sent).toContain(
      JSON.stringify(earlier.recommendedArchitecture?.overview.slice(0, 40)).slice(1, -1),
    );
    expect(sent).toContain(
      JSON.stringify(earlier.clarifyingQuestions[1]?.question.slice(0, 40)).slice(1, -1),
    );
    expect(sent).toContain('&quot;id&quot;: &quot;F1&quot;');
    const offered = ((followUp?.body.tools ?? []) as { name: string }[]).map((t) => t.name);
    expect(offered).toEqual(['submit_review', 'submit_review_changes']);
    expect(h.claude.requests).toHaveLength(2);
    // The answered question is not asked again, even though Claude repeated it.
    const buttons = elements(refined).filter((e) => e.action_id?.startsWith('clarify_question_'));
    expect(buttons).toHaveLength(sampleReview().clarifyingQuestions.length - 1);
  });

  it('without the re-run choice, only the answer is posted', async () => {
    await click('clarify_question_1', button(review, 'clarify_question_1'));
    const [view] = await openedViews(1);
    await submit(view as View, { answer_1: 'Five years of order history.' }, { rerun: false });
    await h.slack.waitFor(() =>
      h.slack.threadMessages(CHANNEL, threadTs).find((m) => m.text.includes('Five years')),
    );
    await pause(300);
    expect(h.claude.requests).toHaveLength(1);
  });

  it('"Answer questions" opens one modal with every question, and several answers go back together', async () => {
    await click('answer_questions', button(review, 'answer_questions'));
    const [view] = await openedViews(1);
    const inputs = (view as View).blocks.filter((b) => b.type === 'input');
    expect(inputs).toHaveLength(sampleReview().clarifyingQuestions.length + 1);
    await submit(view as View, { answer_0: '2k users', answer_2: 'GDPR applies' });
    await waitForReviewCount(2);
    const sent = JSON.stringify(h.claude.lastRequest()?.body.messages);
    expect(sent).toContain('2k users');
    expect(sent).toContain('GDPR applies');
  });

  it('an empty submission gets Slack’s inline field error and queues nothing', async () => {
    await click('clarify_question_0', button(review, 'clarify_question_0'));
    const [view] = await openedViews(1);
    const res = await submit(view as View, { answer_0: '   ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { answer_0: expect.stringMatching(/answer/i) },
    });
    await pause(300);
    expect(h.claude.requests).toHaveLength(1);
  });

  it('a double submission of one modal yields one follow-up; two people’s submissions yield one each', async () => {
    await click('clarify_question_0', button(review, 'clarify_question_0'));
    const [view] = await openedViews(1);
    await Promise.all([
      submit(view as View, { answer_0: 'first try' }),
      submit(view as View, { answer_0: 'first try' }),
    ]);
    await waitForReviewCount(2);
    await click('clarify_question_1', button(review, 'clarify_question_1'), h.eventsUrl, 'U0BOB');
    const views = await openedViews(2);
    await submit(views[1] as View, { answer_1: 'bob’s answer' }, { user: 'U0BOB', viewId: 'V0000002' });
    await waitForReviewCount(3);
    await pause(500);
    expect(h.claude.requests).toHaveLength(3);
    expect(
      h.slack.threadMessages(CHANNEL, threadTs).filter((m) => m.text.includes('answered the architect')),
    ).toHaveLength(2);
  });

  it('a stale or forged button gets a clear ephemeral message', async () => {
    await click(
      'clarify_question_0',
      JSON.stringify({ v: 1, requestId: 'gone-request', index: 0, label: 'x' }),
    );
    await click('clarify_question_0', 'not json at all');
    await h.slack.waitFor(() => h.slack.ephemerals.length >= 2);
    const texts = h.slack.ephemerals.map((e) => e.text);
    expect(texts).toHaveLength(2);
    // The two clicks are handled concurrently, so their answers may arrive in either order.
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no longer available/),
        expect.stringMatching(/out of date/),
      ]),
    );
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('a click handled by another instance on the same Redis works (a restart or a second replica)', async () => {
    const other = await startAnotherInstance(h);
    try {
      await click('clarify_question_2', button(review, 'clarify_question_2'), other.eventsUrl);
      const [view] = await openedViews(1);
      const res = await signedPost(
        other.eventsUrl,
        viewSubmissionBody({
          view: { ...(view as View), id: 'V0000009' },
          answers: { answer_2: 'SOC 2 only' },
        }),
        FORM,
      );
      expect(res.status).toBe(200);
      await waitForReviewCount(2);
      expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain('SOC 2 only');
    } finally {
      await other.stop();
    }
  });

  it('"Ask another agent" re-runs the review in the same thread with the chosen agent', async () => {
    const menu = elements(review).find((e) => e.action_id === 'ask_another_agent');
    const option = menu?.options?.[0]?.value ?? '';
    expect(JSON.parse(option)).toMatchObject({ agent: 'security-reviewer' });
    await signedPost(
      h.eventsUrl,
      selectActionBody({ actionId: 'ask_another_agent', value: option, messageTs: review.ts, threadTs }),
      FORM,
    );
    const second = await waitForReviewCount(2);
    expect(JSON.stringify(second.blocks)).toContain('security-reviewer');
    const request = h.claude.lastRequest();
    expect(JSON.stringify(request?.body.system)).toContain('You are a security reviewer.');
    expect(request?.body.model).toBe('claude-haiku-5-5');
  });
});
