import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PostgresWorkspaceSettings } from '../../src/installations/postgres-workspace-settings';
import { TokenCipher } from '../../src/installations/token-cipher';
import { createLogger } from '../../src/logger';
import { GitHubFake } from '../fakes/github-fake';
import type { FakeMessage } from '../fakes/slack-api-fake';
import { type Harness, startHarness } from '../helpers/architect-harness';
import {
  ACME,
  GLOBEX,
  install,
  lifecycleEvent,
  mentionIn,
  oauthEnv,
  reviewIn,
  type Workspace,
} from '../helpers/oauth-workspaces';
import { createTestDatabase, queryRows } from '../helpers/postgres';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { isReview as isReviewMessage } from '../helpers/slack-actions';
import {
  adrFormSubmissionBody,
  blockActionsBody,
  settingsFormSubmissionBody,
} from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

const KEY = randomBytes(32).toString('base64');
const FORM = { contentType: 'application/x-www-form-urlencoded' as const };

/** Each workspace's ADR repository, its fine-grained token, and a decision only its ADRs hold. */
const REPOS = {
  [ACME.teamId]: { owner: 'acme', repo: 'decisions', token: 'github_pat_acme', marker: 'ACME-ONLY-OUTBOX' },
  [GLOBEX.teamId]: { owner: 'globex', repo: 'adrs', token: 'github_pat_globex', marker: 'GLOBEX-ONLY-SAGA' },
};

/**
 * Two workspaces install one deployment, each with its own ADR repository: neither workspace's ADRs,
 * reviews or tokens reach the other, and uninstalling one removes its data.
 */
describe('OAuth mode: workspaces never share decisions', () => {
  let h: Harness;
  let github: GitHubFake;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;

  beforeEach(async () => {
    db = await createTestDatabase();
    github = await GitHubFake.start();
    h = await startHarness({ ...oauthEnv(db.url, KEY), GITHUB_API_URL: github.apiUrl });
    pool = new Pool({ connectionString: db.url, max: 1 });
    for (const w of [ACME, GLOBEX]) {
      h.slack.oauth.setChannelTeam(w.channel, w.teamId);
      h.slack.addUser(w.user, { name: w.user.toLowerCase() });
      const r = REPOS[w.teamId];
      if (!r) throw new Error('no repository');
      github.seedRepo({
        owner: r.owner,
        repo: r.repo,
        files: {
          'docs/adr/0001-one-postgres-per-service.md': `# One Postgres per service\n\n## Status\n\nAccepted\n\nEvery service owns one Postgres database. ${r.marker}\n`,
        },
      });
      github.grantToken(r.token, [`${r.owner}/${r.repo}`]);
      expect((await install(h, { teamId: w.teamId })).status).toBe(200);
    }
    // What each workspace's admin saves in Settings: its repository and a token that reaches only it.
    const settings = new PostgresWorkspaceSettings(
      pool,
      new TokenCipher([KEY]),
      createLogger({ level: 'silent' }),
      {
        cacheTtlMs: 0,
      },
    );
    for (const w of [ACME, GLOBEX]) {
      const r = REPOS[w.teamId];
      if (!r) throw new Error('no repository');
      await settings.save(
        w.teamId,
        { adr: { owner: r.owner, repo: r.repo, path: 'docs/adr' } },
        r.token,
        w.user,
      );
    }
  });
  afterEach(async () => {
    await pool.end();
    await h.stop();
    await github.close();
    await db.drop();
  });

  /** The Claude request made for the review of `w` (its mention names the workspace). */
  const claudeRequestFor = (w: Workspace) =>
    h.claude.requests
      .map((r) => JSON.stringify(r.body))
      .find((body) => body.includes(`one Postgres for ${w.teamId}`));

  function button(message: FakeMessage, actionId: string): string {
    const found = (
      (message.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[]
    )
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === actionId);
    if (!found?.value) throw new Error(`no ${actionId} button`);
    return found.value;
  }

  it('each review is given only its own workspace’s ADRs, read with its own token', async () => {
    const acmeTs = await mentionIn(h, ACME);
    const globexTs = await mentionIn(h, GLOBEX);
    await reviewIn(h, ACME, acmeTs);
    await reviewIn(h, GLOBEX, globexTs);

    const acme = claudeRequestFor(ACME) ?? '';
    const globex = claudeRequestFor(GLOBEX) ?? '';
    expect(acme).toContain('ACME-ONLY-OUTBOX');
    expect(acme).not.toContain('GLOBEX-ONLY-SAGA');
    expect(globex).toContain('GLOBEX-ONLY-SAGA');
    expect(globex).not.toContain('ACME-ONLY-OUTBOX');
    for (const request of github.requests) {
      const owner = request.path.split('/')[2];
      const r = owner === 'acme' ? REPOS[ACME.teamId] : REPOS[GLOBEX.teamId];
      expect(request.token).toBe(r?.token);
    }
  });

  it('Save as ADR in one workspace opens its pull request in that workspace’s repository only', async () => {
    const ts = await mentionIn(h, GLOBEX);
    const reply = await reviewIn(h, GLOBEX, ts);
    const click = blockActionsBody({
      actionId: 'save_as_adr',
      value: button(reply, 'save_as_adr'),
      messageTs: reply.ts,
      threadTs: ts,
      channel: GLOBEX.channel,
      user: GLOBEX.user,
      team: GLOBEX.teamId,
    });
    expect((await signedPost(h.eventsUrl, click, FORM)).status).toBe(200);
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    expect(JSON.stringify(opened.params.view)).toContain('globex/adrs');
    const view = {
      ...(opened.params.view as { callback_id: string; private_metadata: string }),
      id: 'V0GLOBEX',
    };
    const submit = adrFormSubmissionBody({
      view,
      title: 'Sagas for orders',
      decision: 'We use sagas.',
      user: GLOBEX.user,
      team: GLOBEX.teamId,
    });
    expect((await signedPost(h.eventsUrl, submit, FORM)).status).toBe(200);
    await h.slack.waitFor(() => github.pullRequests('globex', 'adrs').length === 1, 20_000);
    expect(github.pullRequests('acme', 'decisions')).toHaveLength(0);
    expect(github.branches('acme', 'decisions')).toEqual(['main']);
  });

  it('a click from one workspace on the other’s review is refused, and shows nothing of it', async () => {
    const ts = await mentionIn(h, ACME);
    const reply = await reviewIn(h, ACME, ts);
    const forged = blockActionsBody({
      actionId: 'open_full_review',
      value: button(reply, 'open_full_review'),
      messageTs: reply.ts,
      threadTs: ts,
      channel: GLOBEX.channel,
      user: GLOBEX.user,
      team: GLOBEX.teamId,
    });
    expect((await signedPost(h.eventsUrl, forged, FORM)).status).toBe(200);
    const note = await h.slack.waitFor(() => h.slack.ephemerals.find((e) => e.user === GLOBEX.user));
    expect(note.text).toMatch(/belongs to another conversation/);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('uninstall removes the workspace’s settings, sealed token and Redis data, and leaves the other’s', async () => {
    await reviewIn(h, ACME, await mentionIn(h, ACME));
    await reviewIn(h, GLOBEX, await mentionIn(h, GLOBEX));
    const redis = new Redis(TEST_REDIS_URL);
    /** Every key of this run that names the workspace, or holds a value that does. */
    const teamKeys = async (teamId: string) => {
      const keys = await redis.keys(`${h.prefix}:*`);
      const described = await Promise.all(
        keys.map(async (k) => `${k} ${(await redis.type(k)) === 'string' ? await redis.get(k) : ''}`),
      );
      return described.filter((d) => d.includes(teamId));
    };
    expect(await teamKeys(ACME.teamId)).not.toHaveLength(0);
    const globexBefore = await teamKeys(GLOBEX.teamId);

    h.slack.oauth.uninstall({ teamId: ACME.teamId });
    await lifecycleEvent(h, ACME, { type: 'app_uninstalled' });
    await h.slack.waitFor(() =>
      h.logs.lines.some((l) => l.msg === 'installation removed; its queued consultations dropped'),
    );

    expect(await queryRows(db.url, 'SELECT workspace_key FROM workspace_settings')).toEqual([
      { workspace_key: `team:${GLOBEX.teamId}` },
    ]);
    const acmeLeft = (await teamKeys(ACME.teamId)).filter((k) => !k.includes(':consultations:'));
    expect(acmeLeft).toEqual([]);
    expect((await teamKeys(GLOBEX.teamId)).length).toBe(globexBefore.length);
    redis.disconnect();
  });

  it('a review already running when its workspace uninstalls posts nothing more and leaves no record behind', async () => {
    h.claude.enqueue({ kind: 'review', latencyMs: 1500 });
    const ts = await mentionIn(h, ACME);
    await h.claude.waitForRequests(1, 10_000);
    h.slack.oauth.uninstall({ teamId: ACME.teamId });
    await lifecycleEvent(h, ACME, { type: 'app_uninstalled' });
    await h.slack.waitFor(() =>
      h.logs.lines.some((l) => l.msg === 'installation removed; its queued consultations dropped'),
    );
    await h.slack.waitFor(
      () => h.logs.lines.some((l) => /consultation (dropped|failed)|uninstalled/.test(String(l.msg))),
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(
      h.slack
        .threadMessages(ACME.channel, ts)
        .filter((m) => m.bot_id && m.ts !== ts)
        .some(isReviewMessage),
    ).toBe(false);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${h.prefix}:review:*`);
      const values = await Promise.all(keys.map((k) => redis.get(k)));
      expect(values.filter((v) => v?.includes(ACME.teamId))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('a settings row copied to another workspace does not give it the token', async () => {
    await pool.query(
      `UPDATE workspace_settings SET sealed_github_token = (SELECT sealed_github_token FROM workspace_settings WHERE workspace_key = $1) WHERE workspace_key = $2`,
      [`team:${ACME.teamId}`, `team:${GLOBEX.teamId}`],
    );
    const settings = new PostgresWorkspaceSettings(
      pool,
      new TokenCipher([KEY]),
      createLogger({ level: 'silent' }),
      {
        cacheTtlMs: 0,
      },
    );
    expect((await settings.get(GLOBEX.teamId))?.githubToken).toBeUndefined();
    expect((await settings.get(ACME.teamId))?.githubToken).toBe('github_pat_acme');
  });
});

describe('OAuth mode: who may install, and how much all workspaces may spend', () => {
  let h: Harness;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  afterEach(async () => {
    await h.stop();
    await db.drop();
  });

  it('a workspace outside ALLOWED_TEAMS is not installed: told why, nothing stored, its token revoked', async () => {
    db = await createTestDatabase();
    h = await startHarness({ ...oauthEnv(db.url, KEY), ALLOWED_TEAMS: ACME.teamId });
    const refused = await install(h, { teamId: GLOBEX.teamId });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('is not one of the workspaces this Architect deployment serves');
    expect(await queryRows(db.url, 'SELECT team_id FROM slack_installations')).toEqual([]);
    expect(h.slack.oauth.installs().filter((i) => i.teamId === GLOBEX.teamId)).toEqual([]);
    expect((await install(h, { teamId: ACME.teamId })).status).toBe(200);
    expect(await queryRows(db.url, 'SELECT team_id FROM slack_installations')).toEqual([
      { team_id: ACME.teamId },
    ]);
  });

  it('DAILY_TOKEN_BUDGET_TOTAL: once every workspace together has spent it, the next workspace is told', async () => {
    db = await createTestDatabase();
    h = await startHarness({ ...oauthEnv(db.url, KEY), DAILY_TOKEN_BUDGET_TOTAL: '500' });
    for (const w of [ACME, GLOBEX]) {
      h.slack.oauth.setChannelTeam(w.channel, w.teamId);
      h.slack.addUser(w.user, { name: w.user.toLowerCase() });
      await install(h, { teamId: w.teamId });
    }
    h.claude.enqueue({ kind: 'review', usage: { input_tokens: 400, output_tokens: 300 } });
    await reviewIn(h, ACME, await mentionIn(h, ACME));
    await mentionIn(h, GLOBEX);
    const note = await h.slack.waitFor(() => h.slack.ephemerals.find((e) => e.user === GLOBEX.user));
    expect(note.text).toMatch(/^Architect has used today’s Claude budget for all the workspaces it serves/);
    expect(h.claude.requests).toHaveLength(1);
  });
});

describe('OAuth mode: a workspace’s admins set its ADR repository from the Home tab', () => {
  let h: Harness;
  let github: GitHubFake;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const ADMIN = 'U0GADMIN';

  beforeEach(async () => {
    db = await createTestDatabase();
    github = await GitHubFake.start();
    h = await startHarness({ ...oauthEnv(db.url, KEY), GITHUB_API_URL: github.apiUrl });
    h.slack.oauth.setChannelTeam(GLOBEX.channel, GLOBEX.teamId);
    h.slack.addUser(GLOBEX.user, { name: 'greg' });
    h.slack.addUser(ADMIN, { name: 'gina', is_admin: true });
    github.seedRepo({
      owner: 'globex',
      repo: 'adrs',
      files: {
        'docs/adr/0001-one-postgres-per-service.md':
          '# One Postgres per service\n\n## Status\n\nAccepted\n\nGLOBEX-ONLY-SAGA\n',
      },
    });
    github.grantToken('github_pat_globex_0123456789', ['globex/adrs']);
    await install(h, { teamId: GLOBEX.teamId });
  });
  afterEach(async () => {
    await h.stop();
    await github.close();
    await db.drop();
  });

  /** The Home tab `user` sees, as the app last published it. */
  async function openHome(user: string): Promise<string> {
    const before = h.slack.callsTo('views.publish').length;
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: GLOBEX.teamId,
      api_app_id: 'A0ARCHITECT',
      event: {
        type: 'app_home_opened',
        user,
        channel: 'D0HOME',
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      },
      type: 'event_callback',
      event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          team_id: GLOBEX.teamId,
          user_id: `UBOT${GLOBEX.teamId}`,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
    });
    expect((await signedPost(h.eventsUrl, body)).status).toBe(200);
    const call = await h.slack.waitFor(() => h.slack.callsTo('views.publish')[before]);
    return JSON.stringify(call.params.view);
  }

  const clickEdit = (user: string) =>
    signedPost(
      h.eventsUrl,
      blockActionsBody({
        actionId: 'edit_adr_settings',
        value: '',
        messageTs: '1.1',
        user,
        team: GLOBEX.teamId,
      }),
      FORM,
    );
  const submit = (user: string, token: string) =>
    signedPost(
      h.eventsUrl,
      settingsFormSubmissionBody({
        view: { id: 'V0SETTINGS', callback_id: 'adr_settings_modal' },
        repository: 'globex/adrs',
        path: 'docs/adr',
        token,
        user,
        team: GLOBEX.teamId,
      }),
      FORM,
    );

  it('an admin sets it; the token is stored sealed, and the next review cites the repository’s ADRs', async () => {
    const home = await openHome(ADMIN);
    expect(home).toContain('*ADR repository:* none.');
    expect(home).toContain('edit_adr_settings');
    await clickEdit(ADMIN);
    const form = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    expect((form.params.view as { callback_id?: string }).callback_id).toBe('adr_settings_modal');

    const bad = await submit(ADMIN, '');
    expect(JSON.stringify(await bad.json())).toContain('Paste a GitHub token');
    expect((await submit(ADMIN, 'github_pat_globex_0123456789')).status).toBe(200);
    const republished = await h.slack.waitFor(() =>
      h.slack
        .callsTo('views.publish')
        .map((c) => JSON.stringify(c.params.view))
        .find((v) => v.includes('globex/adrs')),
    );
    expect(republished).toContain('Change ADR repository');
    const dump = JSON.stringify(await queryRows(db.url, 'SELECT * FROM workspace_settings'));
    expect(dump).toContain('globex');
    expect(dump).not.toContain('github_pat_globex');

    await reviewIn(h, GLOBEX, await mentionIn(h, GLOBEX));
    expect(JSON.stringify(h.claude.lastRequest()?.body)).toContain('GLOBEX-ONLY-SAGA');
  });

  it('anyone else sees it read-only, is told why the button does nothing for them, and a forged form saves nothing', async () => {
    const home = await openHome(GLOBEX.user);
    expect(home).toContain('Only workspace admins and owners can change these.');
    expect(home).not.toContain('edit_adr_settings');
    await clickEdit(GLOBEX.user);
    const notice = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0]);
    expect(JSON.stringify(notice.params.view)).toContain(
      'Only workspace admins and owners can change Architect’s settings',
    );
    const forged = await submit(GLOBEX.user, 'github_pat_globex_0123456789');
    expect(JSON.stringify(await forged.json())).toContain('Only workspace admins and owners');
    expect(await queryRows(db.url, 'SELECT * FROM workspace_settings')).toEqual([]);
  });
});
