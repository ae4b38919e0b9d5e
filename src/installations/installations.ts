import { AuthorizationError, InstallProvider } from '@slack/oauth';
import type { FetchFunction, WebClient } from '@slack/web-api';
import { Pool } from 'pg';
import type { OAuthConfig } from '../config/config';
import { ErrorCode, isCodedError } from '../errors';
import { errorMessage } from '../lib/error-message';
import { withTimeout } from '../lib/with-timeout';
import type { Logger } from '../logger';
import type { BotIdentity } from '../slack/bot-identity';
import type { SlackCallScheduler } from '../slack/call-scheduler';
import { toSlackLogger } from '../slack/slack-logger';
import { createSlackWebClient, webClientOptions } from '../slack/web-client';
import { migrateInstallationStore } from './migrate';
import { PostgresInstallationStore } from './postgres-installation-store';
import { PostgresWorkspaceSettings } from './postgres-workspace-settings';
import { TokenCipher } from './token-cipher';
import type { WorkspaceRef } from './workspace-ref';

/** One workspace's Slack, as its installation allows: a client with its token, and who the bot is there. */
export interface WorkspaceSlack {
  slack: WebClient;
  token: string;
  identity: BotIdentity;
}

/**
 * OAuth mode's installations: the PostgreSQL store (migrated at start-up) Bolt's install flow writes,
 * and per-request Slack clients with the installing workspace's (or organisation's) token, refreshed
 * by Bolt's InstallProvider when Slack's token rotation is on and the token is near expiry.
 */
export class Installations {
  private constructor(
    readonly store: PostgresInstallationStore,
    /** Each workspace's settings (its ADR repository among them), in the same database. */
    readonly settings: PostgresWorkspaceSettings,
    private readonly provider: InstallProvider,
    private readonly pool: Pool,
    private readonly clientOptions: {
      apiUrl: string | undefined;
      timeoutMs: number;
      logger: Logger;
      fetch?: FetchFunction;
      scheduler?: SlackCallScheduler;
    },
  ) {}

  static async open(
    config: OAuthConfig,
    opts: {
      apiUrl: string | undefined;
      timeoutMs: number;
      logger: Logger;
      fetch?: FetchFunction;
      /** Every workspace's client waits for that workspace's Slack budget. */
      scheduler?: SlackCallScheduler;
    },
  ): Promise<Installations> {
    await migrateInstallationStore(config.databaseUrl, opts.logger);
    const pool = new Pool({ connectionString: config.databaseUrl, max: 5 });
    pool.on('error', (error) => opts.logger.warn({ err: error.message }, 'PostgreSQL connection error'));
    const cipher = new TokenCipher(config.encryptionKeys);
    const store = new PostgresInstallationStore(pool, cipher, opts.logger, { cacheTtlMs: config.cacheTtlMs });
    const settings = new PostgresWorkspaceSettings(pool, cipher, opts.logger, {
      cacheTtlMs: config.cacheTtlMs,
    });
    const { logger: _l, logLevel: _ll, ...clientOptions } = webClientOptions(opts);
    const provider = new InstallProvider({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      stateSecret: config.stateSecret,
      installationStore: store,
      clientOptions,
      logger: toSlackLogger(opts.logger.child({ component: 'slack-oauth' })),
    });
    return new Installations(store, settings, provider, pool, opts);
  }

  /**
   * The Slack of the installation serving `ref`, its token refreshed first when it is near expiry;
   * undefined when no installation serves it any more (uninstalled, or its tokens revoked).
   */
  async slackFor(ref: WorkspaceRef): Promise<WorkspaceSlack | undefined> {
    try {
      const auth = await this.provider.authorize({
        teamId: ref.teamId,
        enterpriseId: ref.enterpriseId,
        isEnterpriseInstall: ref.isEnterpriseInstall === true,
      });
      if (!auth.botToken || !auth.botUserId || !auth.botId)
        throw new Error('the installation holds no bot token');
      return {
        slack: createSlackWebClient({ ...this.clientOptions, token: auth.botToken }),
        token: auth.botToken,
        identity: { userId: auth.botUserId, botId: auth.botId },
      };
    } catch (error) {
      if (error instanceof AuthorizationError && isCodedError(error.original, ErrorCode.InstallationNotFound))
        return undefined;
      throw new Error(`could not authorize workspace ${ref.teamId}: ${errorMessage(error)}`);
    }
  }

  /** Whether PostgreSQL answers, for /readyz: without it no workspace's token can be found. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    return withTimeout(this.pool.query('SELECT 1'), timeoutMs, 'PostgreSQL did not answer').then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
