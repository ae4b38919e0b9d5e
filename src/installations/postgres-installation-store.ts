import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Pool } from 'pg';
import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { SealedDataError, type TokenCipher } from './token-cipher';
import { TtlCache } from './ttl-cache';

/** Thrown when no installation answers a query: the workspace never installed the app, or removed it. */
export class InstallationNotFoundError extends CodedError<typeof ErrorCode.InstallationNotFound> {
  constructor(message: string) {
    super(ErrorCode.InstallationNotFound, message);
  }
}

/** What the store keeps of an installation besides its sealed copy; the rest is only in the sealed copy. */
const InstallationSchema = z.looseObject({
  team: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  enterprise: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  isEnterpriseInstall: z.boolean().optional(),
  bot: z
    .looseObject({
      token: z.string(),
      refreshToken: z.string().optional(),
      expiresAt: z.number().optional(),
      scopes: z.array(z.string()),
      id: z.string(),
      userId: z.string(),
    })
    .optional(),
  user: z.looseObject({ id: z.string() }),
});

/** Where one installation lives: an org-wide install by its organisation, any other by its workspace. */
export function installationKey(query: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): string | undefined {
  if (query.isEnterpriseInstall && query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  if (query.teamId) return `team:${query.teamId}`;
  return undefined;
}

/**
 * Bolt's InstallationStore in PostgreSQL (the table of migrations/*_slack-installations.sql). Each
 * installation is stored sealed (its tokens unreadable without INSTALLATION_ENCRYPTION_KEY) and kept in
 * an in-process cache for `cacheTtlMs`, so a busy workspace costs one query per TTL, not one per event.
 */
export class PostgresInstallationStore implements InstallationStore {
  private readonly cache: TtlCache<Installation>;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    private readonly cipher: TokenCipher,
    private readonly logger: Logger,
    options: { cacheTtlMs: number; now?: () => number },
  ) {
    this.cache = new TtlCache(options.cacheTtlMs, options.now);
  }

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const enterpriseId = installation.enterprise?.id;
    const teamId = installation.team?.id;
    const key = installationKey({ teamId, enterpriseId, isEnterpriseInstall });
    if (!key) throw new Error('an installation names neither its workspace nor its organisation');
    const expiresAt = installation.bot?.expiresAt;
    await this.pool.query(
      `INSERT INTO slack_installations
         (installation_key, enterprise_id, team_id, is_enterprise_install, bot_user_id, sealed_installation, bot_token_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (installation_key) DO UPDATE SET
         enterprise_id = EXCLUDED.enterprise_id, team_id = EXCLUDED.team_id,
         is_enterprise_install = EXCLUDED.is_enterprise_install, bot_user_id = EXCLUDED.bot_user_id,
         sealed_installation = EXCLUDED.sealed_installation,
         bot_token_expires_at = EXCLUDED.bot_token_expires_at, updated_at = now()`,
      [
        key,
        enterpriseId ?? null,
        teamId ?? null,
        isEnterpriseInstall,
        installation.bot?.userId ?? null,
        this.cipher.seal(JSON.stringify(installation), key),
        expiresAt !== undefined ? new Date(expiresAt * 1000) : null,
      ],
    );
    this.cache.delete(key);
    this.logger.info({ teamId, enterpriseId, isEnterpriseInstall }, 'Slack installation stored');
  }

  /**
   * The installation serving `query`. An event from a workspace of an organisation that installed the
   * app org-wide is served by the organisation's installation.
   */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const keys = [
      installationKey(query),
      // Slack marks org-wide events is_enterprise_install; other paths only know the workspace.
      query.enterpriseId
        ? installationKey({ enterpriseId: query.enterpriseId, isEnterpriseInstall: true })
        : undefined,
    ].filter((k): k is string => k !== undefined);
    for (const key of new Set(keys)) {
      const found = await this.read(key);
      if (found) return found;
    }
    throw new InstallationNotFoundError(
      `no installation for ${query.isEnterpriseInstall ? `organisation ${query.enterpriseId}` : `workspace ${query.teamId}`}`,
    );
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    if (!key) return;
    const result = await this.pool.query('DELETE FROM slack_installations WHERE installation_key = $1', [
      key,
    ]);
    this.cache.delete(key);
    this.logger.info(
      { teamId: query.teamId, enterpriseId: query.enterpriseId, deleted: result.rowCount ?? 0 },
      'Slack installation deleted',
    );
  }

  private async read(key: string): Promise<Installation | undefined> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = await this.pool.query<{ sealed_installation: string }>(
      'SELECT sealed_installation FROM slack_installations WHERE installation_key = $1',
      [key],
    );
    const sealed = result.rows[0]?.sealed_installation;
    if (sealed === undefined) return undefined;
    const parsed = InstallationSchema.parse(JSON.parse(this.cipher.open(sealed, key)));
    // A legacy row (sealed before rows were bound to their key) could have been copied from another:
    // what it says it is must be where it was found.
    const own = installationKey({
      teamId: parsed.team?.id,
      enterpriseId: parsed.enterprise?.id,
      isEnterpriseInstall: parsed.isEnterpriseInstall,
    });
    if (own !== key)
      throw new SealedDataError(`the installation stored under ${key} is ${own ?? 'nobody'}’s`);
    // Checked above for what Architect reads; the rest is Bolt's own data, returned as it was stored.
    const installation = parsed as unknown as Installation;
    if (this.cipher.isStale(sealed)) await this.storeInstallation(installation);
    this.cache.set(key, installation);
    return installation;
  }
}
