import { randomBytes } from 'node:crypto';

/** Slack's side of one installation: whose it is, its bot, and its token's life. */
export interface FakeInstall {
  /** Absent for an organisation's org-wide install. */
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  botUserId: string;
  botId: string;
  token: string;
  /** Token rotation: ms since the epoch after which Slack answers token_expired. */
  expiresAt?: number;
  refreshToken?: string;
  revoked?: boolean;
}

/** What an installer consents to on Slack's page; the code Slack then hands the redirect exchanges for it. */
export interface ConsentOptions {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  installerUserId?: string;
  /** token_rotation_enabled: the bot token lasts this many seconds and comes with a refresh token. */
  expiresInSec?: number;
}

type Params = Record<string, unknown>;
type Body = Record<string, unknown>;

const text = (p: Params, key: string): string | undefined => {
  const v = p[key];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The OAuth side of the Slack fake: consent codes, oauth.v2.access (code exchange and, with token
 * rotation, grant_type=refresh_token), per-installation bot tokens, and which workspace each channel
 * belongs to, so a token of one workspace cannot reach another's channel.
 */
export class SlackOAuthFake {
  readonly clientId = '1111.2222';
  readonly clientSecret = 'fake-client-secret';
  private readonly codes = new Map<string, ConsentOptions>();
  private readonly byToken = new Map<string, FakeInstall>();
  private readonly channelTeams = new Map<string, { teamId: string; enterpriseId?: string }>();

  /** The installer clicked Allow on Slack's consent page: the code Slack sends to the redirect URL. */
  consent(opts: ConsentOptions): string {
    const code = `code-${randomBytes(6).toString('hex')}`;
    this.codes.set(code, opts);
    return code;
  }

  /** `channel` is in `teamId` (of `enterpriseId`): only that workspace's (or organisation's) token reaches it. */
  setChannelTeam(channel: string, teamId: string, enterpriseId?: string): void {
    this.channelTeams.set(channel, { teamId, ...(enterpriseId ? { enterpriseId } : {}) });
  }

  /** auth.revoke of this installation's token: it answers token_revoked from now on. */
  revoke(install: FakeInstall): void {
    install.revoked = true;
  }

  /** The installation holding `token`, revoked or not. */
  install(token: string): FakeInstall | undefined {
    return this.byToken.get(token);
  }

  /** Live installations, as Slack knows them. */
  installs(): FakeInstall[] {
    return [...this.byToken.values()].filter((i) => !i.revoked);
  }

  /** The workspace (or organisation) removed the app: every token of it stops working. */
  uninstall(where: { teamId?: string; enterpriseId?: string }): void {
    for (const i of this.byToken.values()) {
      const hit = where.teamId ? i.teamId === where.teamId : i.enterpriseId === where.enterpriseId;
      if (hit) i.revoked = true;
    }
  }

  /** How Slack answers a call made with `install`'s token about `channel`, when it refuses it. */
  refusal(install: FakeInstall, now: number): string | undefined {
    if (install.revoked) return 'token_revoked';
    if (install.expiresAt !== undefined && now >= install.expiresAt) return 'token_expired';
    return undefined;
  }

  /** Whether `install` may see `channel`: channels of no known workspace are everyone's. */
  reaches(install: FakeInstall, channel: string): boolean {
    const owner = this.channelTeams.get(channel);
    if (!owner) return true;
    if (install.isEnterpriseInstall) return owner.enterpriseId === install.enterpriseId;
    return owner.teamId === install.teamId;
  }

  /** oauth.v2.access: the code exchange, or (grant_type=refresh_token) a rotated token. */
  access(p: Params, now: number): Body {
    if (text(p, 'client_id') !== this.clientId || text(p, 'client_secret') !== this.clientSecret)
      return { ok: false, error: 'invalid_client_id' };
    if (text(p, 'grant_type') === 'refresh_token') return this.refresh(text(p, 'refresh_token'), now);
    const code = text(p, 'code');
    const consent = code ? this.codes.get(code) : undefined;
    if (!code || !consent) return { ok: false, error: 'invalid_code' };
    this.codes.delete(code);
    const isEnterpriseInstall = consent.isEnterpriseInstall === true;
    const owner = isEnterpriseInstall ? (consent.enterpriseId ?? '') : (consent.teamId ?? '');
    const install: FakeInstall = {
      ...(isEnterpriseInstall ? {} : { teamId: consent.teamId ?? '' }),
      ...(consent.enterpriseId ? { enterpriseId: consent.enterpriseId } : {}),
      isEnterpriseInstall,
      botUserId: `UBOT${owner}`,
      botId: `BBOT${owner}`,
      token: newToken('xoxb'),
      ...(consent.expiresInSec !== undefined
        ? { expiresAt: now + consent.expiresInSec * 1000, refreshToken: newToken('xoxe-1') }
        : {}),
    };
    this.byToken.set(install.token, install);
    return {
      ...this.grant(install, consent.expiresInSec),
      authed_user: { id: consent.installerUserId ?? 'U0ADMIN' },
    };
  }

  private refresh(refreshToken: string | undefined, now: number): Body {
    const old = [...this.byToken.values()].find((i) => i.refreshToken === refreshToken && !i.revoked);
    if (!old || old.expiresAt === undefined) return { ok: false, error: 'invalid_refresh_token' };
    const lifetimeSec = 12 * 3600;
    // The old token stops working, as Slack's does once its replacement is issued and used.
    old.revoked = true;
    const fresh: FakeInstall = {
      ...old,
      revoked: false,
      token: newToken('xoxb'),
      expiresAt: now + lifetimeSec * 1000,
    };
    this.byToken.set(fresh.token, fresh);
    return this.grant(fresh, lifetimeSec);
  }

  /** oauth.v2.access's answer for a bot token, as Slack shapes it (refresh fields with token rotation). */
  private grant(install: FakeInstall, expiresInSec: number | undefined): Body {
    return {
      ok: true,
      access_token: install.token,
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: install.botUserId,
      app_id: 'A0ARCHITECT',
      team: install.teamId ? { id: install.teamId, name: `Workspace ${install.teamId}` } : null,
      enterprise: install.enterpriseId
        ? { id: install.enterpriseId, name: `Org ${install.enterpriseId}` }
        : null,
      is_enterprise_install: install.isEnterpriseInstall,
      ...(install.refreshToken && expiresInSec !== undefined
        ? { refresh_token: install.refreshToken, expires_in: expiresInSec }
        : {}),
    };
  }
}

const newToken = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
