import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Harness, ROOT, startHarness } from '../helpers/architect-harness';
import { botReplies, isReview, mention } from '../helpers/slack-actions';
import {
  adrFormSubmissionBody,
  blockActionsBody,
  CHANNEL,
  selectActionBody,
  USER,
  viewSubmissionBody,
} from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { pause } from '../helpers/waits';

const FORM = { contentType: 'application/x-www-form-urlencoded' as const };
const GUEST = 'U0GUEST';

type Block = {
  type: string;
  action_id?: string;
  value?: string;
  elements?: Block[];
  options?: { value: string }[];
};
type View = { id: string; callback_id: string; private_metadata: string };

/** A second agent next to the seed one, so the review offers "Ask another agent". */
function agentsDirWithTwoAgents(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'architect-agents-'));
  cpSync(path.join(ROOT, 'agents/backend-architect.md'), path.join(dir, 'backend-architect.md'));
  writeFileSync(
    path.join(dir, 'security-reviewer.md'),
    '---\nname: security-reviewer\ndescription: Reviews designs for security risks.\nmodel: haiku\n---\nYou are a security reviewer.\n',
  );
  return dir;
}

/** Every click is checked like a request: where it comes from, who clicks, and what it costs. */
describe('clicks on a review are admitted like requests', () => {
  let h: Harness;
  let threadTs: string;
  let review: { ts: string; blocks?: unknown[] };

  async function reviewed(env: Record<string, string>): Promise<void> {
    h = await startHarness({ AGENTS_DIR: agentsDirWithTwoAgents(), ...env });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    h.slack.addUser(GUEST, { name: 'guest', display_name: 'Guest' });
    threadTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: one Postgres, a Node API.' });
    await mention(h, { text: '<@UBOT> review?', threadTs });
    review = await h.slack.waitFor(() => botReplies(h, threadTs).find(isReview));
  }
  afterEach(async () => {
    await h.stop();
  });

  const elements = (blocks: unknown[] | undefined) =>
    ((blocks ?? []) as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  const value = (actionId: string): string => {
    const found = elements(review.blocks).find((e) => e.action_id === actionId);
    const v = found?.value ?? found?.options?.[0]?.value;
    if (!v) throw new Error(`no ${actionId} on the review`);
    return v;
  };
  const click = (
    actionId: string,
    opts: { user?: string; team?: string; enterprise?: string; channel?: string } = {},
  ) => {
    const action = { actionId, value: value(actionId), messageTs: review.ts, threadTs, ...opts };
    const body = actionId === 'ask_another_agent' ? selectActionBody(action) : blockActionsBody(action);
    return signedPost(h.eventsUrl, body, FORM);
  };
  const ephemeralsTo = (user: string) => h.slack.ephemerals.filter((e) => e.user === user);

  it('a person outside ALLOWED_USERS is told why, and Save as ADR, Full review and the answer form do nothing', async () => {
    await reviewed({ ALLOWED_USERS: USER });
    for (const actionId of ['save_as_adr', 'open_full_review', 'answer_questions', 'clarify_question_0']) {
      expect((await click(actionId, { user: GUEST })).status).toBe(200);
    }
    await h.slack.waitFor(() => ephemeralsTo(GUEST).length >= 4);
    for (const note of ephemeralsTo(GUEST)) {
      expect(note.text).toBe(
        'Architect isn’t enabled for you yet. Ask your workspace admin to add you (ALLOWED_USERS).',
      );
      expect(note.thread_ts).toBe(threadTs);
    }
    await pause(300);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('a form Alice opened but a guest submits saves no ADR, and says why in the form', async () => {
    await reviewed({ ALLOWED_USERS: USER });
    expect((await click('save_as_adr')).status).toBe(200);
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    const view = { ...(opened.params.view as View), id: 'V0ADR1' };
    const res = await signedPost(
      h.eventsUrl,
      adrFormSubmissionBody({ view, title: 'One Postgres', decision: 'We keep one.', user: GUEST }),
      FORM,
    );
    const answer = (await res.json()) as { response_action?: string; view?: { blocks?: unknown[] } };
    expect(answer.response_action).toBe('update');
    expect(JSON.stringify(answer.view?.blocks)).toContain('isn’t enabled for you yet');
    await pause(300);
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(0);
  });

  it('Save as ADR counts against the hourly limit like a review', async () => {
    await reviewed({ RATE_LIMIT_PER_USER_PER_HOUR: '1' });
    await click('save_as_adr');
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    const view = { ...(opened.params.view as View), id: 'V0ADR2' };
    const res = await signedPost(
      h.eventsUrl,
      adrFormSubmissionBody({ view, title: 'One Postgres', decision: 'We keep one.' }),
      FORM,
    );
    expect(JSON.stringify(await res.json())).toContain('1 reviews in the last hour');
  });

  it('a click from another workspace, organisation or channel than the review’s is refused and queues nothing', async () => {
    await reviewed({});
    const refusals = [{ team: 'T0OTHER' }, { enterprise: 'E0OTHER' }, { channel: 'C0ELSEWHERE' }];
    for (const where of refusals) {
      await click('ask_another_agent', where);
      await click('save_as_adr', where);
      await click('answer_questions', where);
    }
    await h.slack.waitFor(() => ephemeralsTo(USER).length >= 9);
    for (const note of ephemeralsTo(USER)) expect(note.text).toMatch(/belongs to another conversation/);
    await pause(400);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(h.claude.requests).toHaveLength(1);
  });

  it('answers submitted from another workspace are refused in the form, and nothing is posted', async () => {
    await reviewed({});
    await click('answer_questions');
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    const view = opened.params.view as View;
    const body = viewSubmissionBody({ view: { ...view, id: 'V0ANS1' }, answers: { answer_0: 'EU only' } });
    // The same form, as a person of another workspace would send it.
    const forged = new URLSearchParams(body);
    forged.set('payload', (forged.get('payload') ?? '').replaceAll('"T0001"', '"T0OTHER"'));
    const res = await signedPost(h.eventsUrl, forged.toString(), FORM);
    expect(JSON.stringify(await res.json())).toContain('belongs to another conversation');
    await pause(400);
    expect(h.claude.requests).toHaveLength(1);
    expect(botReplies(h, threadTs).some((m) => String(m.text).includes('EU only'))).toBe(false);
  });

  it('a person outside ALLOWED_USERS cannot pick another agent', async () => {
    await reviewed({ ALLOWED_USERS: USER });
    await click('ask_another_agent', { user: GUEST });
    await h.slack.waitFor(() => ephemeralsTo(GUEST).length >= 1);
    expect(ephemeralsTo(GUEST)[0]?.text).toMatch(/isn’t enabled for you/);
    await pause(300);
    expect(h.claude.requests).toHaveLength(1);
  });
});
