import { randomUUID } from 'node:crypto';
import type { ConsentOptions } from '../fakes/slack-oauth-fake';
import type { Harness } from './architect-harness';
import { isProgress, isReview } from './slack-actions';
import { signedPost } from './slack-signing';

/** What OAuth mode tests drive: many workspaces installing one deployment, as Slack and a browser do. */

/** A workspace as the tests use it: its id, a channel in it, and a person there. */
export interface Workspace {
  teamId: string;
  channel: string;
  user: string;
  enterpriseId?: string;
}
export const ACME: Workspace = { teamId: 'T0ACME', channel: 'C0ACME', user: 'U0ANNA' };
export const GLOBEX: Workspace = { teamId: 'T0GLOBEX', channel: 'C0GLOBEX', user: 'U0GREG' };

/** The settings OAuth mode needs, on the test's own database. */
export function oauthEnv(databaseUrl: string, encryptionKey: string): Record<string, string | undefined> {
  return {
    SLACK_BOT_TOKEN: undefined,
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'fake-client-secret',
    SLACK_STATE_SECRET: 'state-secret-for-tests',
    DATABASE_URL: databaseUrl,
    INSTALLATION_ENCRYPTION_KEY: encryptionKey,
  };
}

/** The install as a browser makes it: /slack/install, Slack's consent page, then the redirect. */
export async function install(
  h: Harness,
  consent: ConsentOptions,
): Promise<{ status: number; html: string }> {
  const start = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`/slack/install answered ${start.status}`);
  const authorizeUrl = new URL(start.headers.get('location') ?? '');
  if (authorizeUrl.searchParams.get('client_id') !== '1111.2222')
    throw new Error(`the install went to ${authorizeUrl} without the app's client id`);
  const state = authorizeUrl.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const code = h.slack.oauth.consent(consent);
  const done = await fetch(
    `${h.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`,
    {
      headers: { cookie },
      redirect: 'manual',
    },
  );
  return { status: done.status, html: await done.text() };
}

/** Someone in `w` mentions the bot of the installation serving it; returns the mention's ts. */
export async function mentionIn(
  h: Harness,
  w: Workspace,
  opts: { orgWide?: boolean; text?: string } = {},
): Promise<string> {
  const botUserId = `UBOT${opts.orgWide ? w.enterpriseId : w.teamId}`;
  const text = `<@${botUserId}> ${opts.text ?? `please review: one Postgres for ${w.teamId}`}`;
  const ts = h.slack.addMessage(w.channel, { user: w.user, text });
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: w.teamId,
    ...(w.enterpriseId ? { enterprise_id: w.enterpriseId } : {}),
    api_app_id: 'A0ARCHITECT',
    event: { type: 'app_mention', user: w.user, text, ts, channel: w.channel, event_ts: ts },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: w.enterpriseId ?? null,
        team_id: opts.orgWide ? null : w.teamId,
        user_id: botUserId,
        is_bot: true,
        is_enterprise_install: opts.orgWide === true,
      },
    ],
  });
  const res = await signedPost(h.eventsUrl, body);
  if (res.status !== 200) throw new Error(`the app answered the mention with HTTP ${res.status}`);
  return ts;
}

/** An app lifecycle event (app_uninstalled, tokens_revoked) from `w`. */
export async function lifecycleEvent(
  h: Harness,
  w: Workspace,
  event: Record<string, unknown>,
  orgWide = false,
): Promise<void> {
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: w.teamId,
    ...(w.enterpriseId ? { enterprise_id: w.enterpriseId } : {}),
    api_app_id: 'A0ARCHITECT',
    event: { event_ts: `${Date.now() / 1000}`, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: w.teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: orgWide }],
  });
  const res = await signedPost(h.eventsUrl, body);
  if (res.status !== 200) throw new Error(`the app answered the event with HTTP ${res.status}`);
}

/** The finished review in the thread of the message at `ts` in `w`. */
export const reviewIn = (h: Harness, w: Workspace, ts: string) =>
  h.slack.waitFor(() => {
    const replies = h.slack.threadMessages(w.channel, ts).filter((m) => m.bot_id && m.ts !== ts);
    return replies.some(isProgress) ? undefined : replies.find(isReview);
  }, 20_000);
