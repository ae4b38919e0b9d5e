import { randomBytes } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { ConsentOptions } from '../fakes/slack-oauth-fake';
import { type Harness, startHarness } from '../helpers/architect-harness';
import {
  ACME,
  GLOBEX,
  install as installIn,
  lifecycleEvent as lifecycleEventIn,
  mentionIn as mentionInWorkspace,
  oauthEnv,
  reviewIn as reviewInWorkspace,
  type Workspace,
} from '../helpers/oauth-workspaces';
import { createTestDatabase, queryRows } from '../helpers/postgres';

const KEY = randomBytes(32).toString('base64');

const ORG_EAST: Workspace = { teamId: 'T0EAST', channel: 'C0EAST', user: 'U0EVE', enterpriseId: 'E0ORG' };
const ORG_WEST: Workspace = { teamId: 'T0WEST', channel: 'C0WEST', user: 'U0WES', enterpriseId: 'E0ORG' };

describe('OAuth mode: many workspaces install one deployment (real PostgreSQL, Redis, Slack and Claude fakes)', () => {
  let h: Harness;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeEach(async () => {
    db = await createTestDatabase();
    h = await startHarness(oauthEnv(db.url, KEY));
    for (const w of [ACME, GLOBEX, ORG_EAST, ORG_WEST]) {
      h.slack.oauth.setChannelTeam(w.channel, w.teamId, w.enterpriseId);
      h.slack.addUser(w.user, { name: w.user.toLowerCase() });
    }
  });
  afterEach(async () => {
    await h.stop();
    await db.drop();
  });

  it('reports PostgreSQL in /readyz, since every Slack call needs a token from it', async () => {
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { redis: true, database: true } });
  });

  const install = (consent: ConsentOptions) => installIn(h, consent);
  const mentionIn = (w: Workspace, opts: { orgWide?: boolean } = {}) => mentionInWorkspace(h, w, opts);
  const lifecycleEvent = (w: Workspace, event: Record<string, unknown>, orgWide = false) =>
    lifecycleEventIn(h, w, event, orgWide);
  const reviewIn = (w: Workspace, ts: string) => reviewInWorkspace(h, w, ts);

  /** Which installations' tokens made the bot's posts in `channel`. */
  const postersIn = (channel: string) =>
    new Set(
      h.slack.calls
        .filter((c) => c.method.startsWith('chat.') && c.params.channel === channel)
        .map((c) => c.installation),
    );

  it('two workspaces install; a mention in each is reviewed with that workspace’s own token', async () => {
    expect((await install({ teamId: ACME.teamId })).status).toBe(200);
    expect((await install({ teamId: GLOBEX.teamId })).status).toBe(200);

    const acmeTs = await mentionIn(ACME);
    const globexTs = await mentionIn(GLOBEX);
    await reviewIn(ACME, acmeTs);
    await reviewIn(GLOBEX, globexTs);

    expect(postersIn(ACME.channel)).toEqual(new Set([ACME.teamId]));
    expect(postersIn(GLOBEX.channel)).toEqual(new Set([GLOBEX.teamId]));
    const reads = h.slack.calls.filter((c) => c.method === 'conversations.replies');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const read of reads)
      expect(read.installation).toBe(read.params.channel === ACME.channel ? ACME.teamId : GLOBEX.teamId);
    // Jobs carry ids, never a token: nothing in the logs holds one either.
    const tokens = h.slack.oauth.installs().map((i) => i.token);
    for (const token of tokens) expect(h.logs.raw.join('\n')).not.toContain(token);
  });

  it('a token of one workspace cannot reach another workspace’s channel, as in Slack', async () => {
    await install({ teamId: ACME.teamId });
    const acmeToken = h.slack.oauth.installs().find((i) => i.teamId === ACME.teamId)?.token;
    const client = new WebClient(acmeToken, { slackApiUrl: h.slack.apiUrl, retryConfig: { retries: 0 } });
    const ts = h.slack.addMessage(GLOBEX.channel, { user: GLOBEX.user, text: 'secret plans' });
    await expect(client.conversations.replies({ channel: GLOBEX.channel, ts })).rejects.toThrow(
      /channel_not_found/,
    );
  });

  it('an org-wide install serves two workspaces of the organisation, and the admin is sent to add it to workspaces', async () => {
    const done = await install({ enterpriseId: 'E0ORG', isEnterpriseInstall: true });
    expect(done.status).toBe(200);
    expect(done.html).toContain('manage/organization/apps/profile/A0ARCHITECT/workspaces/add');

    const eastTs = await mentionIn(ORG_EAST, { orgWide: true });
    const westTs = await mentionIn(ORG_WEST, { orgWide: true });
    await reviewIn(ORG_EAST, eastTs);
    await reviewIn(ORG_WEST, westTs);
    expect(postersIn(ORG_EAST.channel)).toEqual(new Set(['E0ORG']));
    expect(postersIn(ORG_WEST.channel)).toEqual(new Set(['E0ORG']));
    const rows = await queryRows(db.url, 'SELECT installation_key FROM slack_installations');
    expect(rows).toEqual([{ installation_key: 'enterprise:E0ORG' }]);
  });

  it('uninstalling one workspace stops it and leaves the other working', async () => {
    await install({ teamId: ACME.teamId });
    await install({ teamId: GLOBEX.teamId });
    h.slack.oauth.uninstall({ teamId: ACME.teamId });
    await lifecycleEvent(ACME, { type: 'app_uninstalled' });
    await h.slack.waitFor(() =>
      h.logs.lines.some((l) => l.msg === 'installation removed; its queued consultations dropped'),
    );
    expect(await queryRows(db.url, 'SELECT team_id FROM slack_installations')).toEqual([
      { team_id: GLOBEX.teamId },
    ]);

    // Slack would not send an uninstalled app events; one in flight finds no installation and is dropped.
    const stale = await mentionIn(ACME);
    const globexTs = await mentionIn(GLOBEX);
    await reviewIn(GLOBEX, globexTs);
    expect(postersIn(ACME.channel)).toEqual(new Set());
    expect(h.slack.threadMessages(ACME.channel, stale)).toHaveLength(1);
  });

  it('tokens_revoked for the bot removes the installation', async () => {
    await install({ teamId: GLOBEX.teamId });
    await lifecycleEvent(GLOBEX, { type: 'tokens_revoked', tokens: { bot: [`UBOT${GLOBEX.teamId}`] } });
    await h.slack.waitFor(() => h.logs.lines.some((l) => l.why === 'tokens_revoked'));
    expect(await queryRows(db.url, 'SELECT * FROM slack_installations')).toEqual([]);
  });

  it('a token near expiry is refreshed (oauth.v2.access, grant_type=refresh_token) before it is used', async () => {
    await install({ teamId: ACME.teamId, expiresInSec: 600 });
    const first = h.slack.oauth.installs().find((i) => i.teamId === ACME.teamId);
    const ts = await mentionIn(ACME);
    await reviewIn(ACME, ts);

    const refreshes = h.slack.calls.filter(
      (c) => c.method === 'oauth.v2.access' && c.params.grant_type === 'refresh_token',
    );
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((c) => c.response?.ok === true)).toBe(true);
    // Every call after the first refresh was answered: no call was made with the expiring token after it.
    const firstRefresh = refreshes[0]?.arrived ?? 0;
    const later = h.slack.calls.filter((c) => c.arrived > firstRefresh && c.method !== 'oauth.v2.access');
    expect(later.every((c) => c.response?.error !== 'token_revoked')).toBe(true);
    const current = h.slack.oauth.installs().find((i) => i.teamId === ACME.teamId);
    expect(current?.token).not.toBe(first?.token);
  });

  it('stores tokens sealed: the database alone does not reveal them', async () => {
    await install({ teamId: ACME.teamId, expiresInSec: 3 * 3600 });
    const install0 = h.slack.oauth.installs()[0];
    const dump = JSON.stringify(await queryRows(db.url, 'SELECT * FROM slack_installations'));
    expect(dump).toContain(ACME.teamId);
    expect(dump).not.toContain(install0?.token ?? 'missing');
    expect(dump).not.toContain(install0?.refreshToken ?? 'missing');
    expect(dump).not.toContain('xoxb-');
  });
});
