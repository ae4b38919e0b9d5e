import type { Pool } from 'pg';
import type { Logger } from '../logger';
import {
  type StoredWorkspaceSettings,
  sealedTokenContext,
  type WorkspaceSettings,
  WorkspaceSettingsSchema,
  type WorkspaceSettingsStore,
} from '../settings/workspace-settings';
import type { TokenCipher } from './token-cipher';
import { TtlCache } from './ttl-cache';

/**
 * OAuth mode's workspace settings, in PostgreSQL next to the installations (the table of
 * migrations/*_workspace-settings.sql), each workspace's GitHub token sealed like its Slack tokens.
 * Read through a short in-process cache: every request and job asks.
 */
export class PostgresWorkspaceSettings implements WorkspaceSettingsStore {
  private readonly cache: TtlCache<StoredWorkspaceSettings | null>;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    private readonly cipher: TokenCipher,
    private readonly logger: Logger,
    options: { cacheTtlMs: number; now?: () => number },
  ) {
    this.cache = new TtlCache(options.cacheTtlMs, options.now);
  }

  async get(teamId: string): Promise<StoredWorkspaceSettings | undefined> {
    const cached = this.cache.get(teamId);
    if (cached !== undefined) return cached ?? undefined;
    const result = await this.pool.query<{ settings: unknown; sealed_github_token: string | null }>(
      'SELECT settings, sealed_github_token FROM workspace_settings WHERE workspace_key = $1',
      [`team:${teamId}`],
    );
    const row = result.rows[0];
    const found = row ? this.toStored(teamId, row) : null;
    this.cache.set(teamId, found);
    return found ?? undefined;
  }

  async save(
    teamId: string,
    settings: WorkspaceSettings,
    githubToken: string | null | undefined,
    by: string,
  ): Promise<void> {
    const valid = WorkspaceSettingsSchema.parse(settings);
    const sealed =
      typeof githubToken === 'string' ? this.cipher.seal(githubToken, sealedTokenContext(teamId)) : null;
    await this.pool.query(
      `INSERT INTO workspace_settings (workspace_key, settings, sealed_github_token, updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_key) DO UPDATE SET
         settings = EXCLUDED.settings,
         sealed_github_token = CASE WHEN $5 THEN workspace_settings.sealed_github_token ELSE EXCLUDED.sealed_github_token END,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [`team:${teamId}`, JSON.stringify(valid), sealed, by, githubToken === undefined],
    );
    this.cache.delete(teamId);
    this.logger.info({ teamId, by }, 'workspace settings saved');
  }

  async forget(teamId: string): Promise<void> {
    await this.pool.query('DELETE FROM workspace_settings WHERE workspace_key = $1', [`team:${teamId}`]);
    this.cache.delete(teamId);
  }

  private toStored(
    teamId: string,
    row: { settings: unknown; sealed_github_token: string | null },
  ): StoredWorkspaceSettings | null {
    const parsed = WorkspaceSettingsSchema.safeParse(row.settings);
    if (!parsed.success) {
      this.logger.warn({ teamId }, 'workspace settings do not parse; the defaults apply');
      return null;
    }
    let githubToken: string | undefined;
    if (row.sealed_github_token) {
      try {
        githubToken = this.cipher.open(row.sealed_github_token, sealedTokenContext(teamId));
      } catch {
        // A token sealed for another workspace (a copied row) or with a lost key: no repository, said once.
        this.logger.warn({ teamId }, 'the workspace’s GitHub token does not open; its ADR repository is off');
      }
    }
    return { settings: parsed.data, githubToken };
  }
}
