import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SlackCall } from '../../../fakes/slack-api-fake';
import { sampleReview } from '../../../fixtures/sample-review';
import { type Harness, ROOT, startHarness } from '../../../helpers/architect-harness';
import { CHANNEL, eventCallback, slashCommandBody, USER } from '../../../helpers/slack-payloads';
import { signedPost } from '../../../helpers/slack-signing';

const BOB = 'U0BOB';

describe('the App Home tab', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    h.slack.addUser(BOB, { name: 'bob', display_name: 'Bob' });
  });
  afterEach(async () => {
    await h.stop();
  });

  /** Runs `/architect review` as `user` with a review whose headline is `summary`; resolves once delivered. */
  const reviewFor = async (user: string, summary: string) => {
    h.claude.enqueue({ kind: 'review', review: { ...sampleReview(), headline: summary } });
    const before = h.logs.lines.filter((l) => l.msg === 'review delivered').length;
    await signedPost(h.eventsUrl, slashCommandBody(`review design by ${user}`, { user_id: user }), {
      contentType: 'application/x-www-form-urlencoded',
    });
    await h.slack.waitFor(() => h.logs.lines.filter((l) => l.msg === 'review delivered').length > before);
  };

  const openHome = async (user: string, tab = 'home') => {
    const before = h.slack.callsTo('views.publish').length;
    const res = await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'app_home_opened', user, channel: 'D0HOME', tab }),
    );
    expect(res.status).toBe(200);
    return before;
  };

  const published = (before: number): Promise<SlackCall> =>
    h.slack.waitFor(() => h.slack.callsTo('views.publish')[before]);

  it('publishes a valid Home view: the three ways to ask, every agent, and the user’s reviews newest first', async () => {
    await reviewFor(USER, 'First review: split billing from orders.');
    await reviewFor(BOB, 'Bob’s review: not Alice’s business.');
    await reviewFor(USER, 'Second review: add an outbox for events.');

    const call = await published(await openHome(USER));
    // The fake validates views.publish with Slack's Block Kit rules and answers ok:false otherwise.
    expect(call.response).toMatchObject({ ok: true });
    expect(call.params.user_id).toBe(USER);
    const view = call.params.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    const shown = JSON.stringify(view.blocks);

    expect(shown).toContain('/architect review');
    expect(shown).toContain('@Architect');
    expect(shown).toContain(':building_construction:');
    const agentFiles = readdirSync(path.join(ROOT, 'agents')).filter((f) => f.endsWith('.md'));
    expect(agentFiles.length).toBeGreaterThan(0);
    for (const file of agentFiles) expect(shown).toContain(`*${file.replace(/\.md$/, '')}*`);
    expect(shown).toContain('Use this agent when you need to design, review, or optimize backend');

    const second = shown.indexOf('Second review: add an outbox');
    const first = shown.indexOf('First review: split billing');
    expect(second).toBeGreaterThan(-1);
    expect(first).toBeGreaterThan(second);
    expect(shown).not.toContain('Bob’s review');

    // Each review links to its thread, as chat.getPermalink gave it.
    const links = h.slack.callsTo('chat.getPermalink');
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link.params.channel).toBe(CHANNEL);
      expect(shown).toContain(String((link.response as { permalink: string }).permalink));
    }
  });

  it('tells a user without reviews how to get one', async () => {
    const call = await published(await openHome(USER));
    expect(call.response).toMatchObject({ ok: true });
    expect(JSON.stringify(call.params.view)).toContain('You have no reviews yet');
    expect(h.slack.callsTo('chat.getPermalink')).toHaveLength(0);
  });

  it('leaves the Messages tab alone', async () => {
    await openHome(USER, 'messages');
    await openHome(BOB);
    const call = await published(0);
    expect(call.params.user_id).toBe(BOB);
    expect(h.slack.callsTo('views.publish')).toHaveLength(1);
  });
});
