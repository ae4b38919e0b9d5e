import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { AdrReading } from './adr/adr-catalog';
import { createAdrServices, createWorkspaceAdrServices, type WorkspaceAdrServices } from './adr/adr-services';
import { AgentRegistry, requireAgent } from './agents/agent-registry';
import type { Config } from './config/config';
import { ClaudeConsultant } from './consultation/claude-consultant';
import { createAdminServer, createHttpServer, createMetricsServer, listen } from './http/http-server';
import { createSlackIngress } from './ingress/slack-app';
import { Installations, type WorkspaceSlack } from './installations/installations';
import { ByteBudget } from './lib/byte-budget';
import { errorMessage } from './lib/error-message';
import { withTimeout } from './lib/with-timeout';
import type { Logger } from './logger';
import type * as McpHttpEndpoint from './mcp/http-endpoint';
import { remoteMcpDeps } from './mcp/remote-deps';
import { createObservability } from './observability/observability';
import { ConsultationQueue } from './queue/consultation-queue';
import { type BotIdentity, resolveBotIdentity } from './slack/bot-identity';
import { SlackCallScheduler } from './slack/call-scheduler';
import { ThreadFileReader } from './slack/files/thread-file-reader';
import { rateTiers } from './slack/rate-tiers';
import { ResponseUrlClient } from './slack/response-url';
import { ThreadReader } from './slack/thread-reader';
import { UserDirectory } from './slack/user-directory';
import { createSlackWebClient } from './slack/web-client';
import { CliError } from './standalone/cli-error';
import { createConsultant } from './standalone/consultant';
import { CostGuard } from './stores/cost-guard';
import { createFailFastRedis, pingRedis } from './stores/redis-connections';
import { warnUnlessNoEviction } from './stores/redis-policy';
import { ReviewStore } from './stores/review-store';
import { SlackBudgetStore } from './stores/slack-budget';
import { UserReviews } from './stores/user-reviews';
import { ViewedContexts } from './stores/viewed-context';
import { WorkspaceData } from './stores/workspace-data';
import { ConsultationWorker } from './worker/consultation-worker';
import type { WorkerDeps, WorkspaceWorkerParts } from './worker/worker-deps';

/** Room for the JSON-RPC envelope around a design of FILE_MAX_BYTES (JSON escaping can double it). */
const MCP_BODY_OVERHEAD_BYTES = 64 * 1024;

/** Slack's largest payloads (a long slash command, a modal full of answers) are far below this. */
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** A running Architect process: what `main` starts and stops, and what tests build in-process. */
export interface Architect {
  /** The port the HTTP server listens on (useful when PORT=0). */
  port: number;
  /** The dashboard's own port when ADMIN_PORT is set. */
  adminPort: number | undefined;
  /** The port of /readyz and /metrics when METRICS_PORT is set. */
  metricsPort: number | undefined;
  stop(): Promise<void>;
}

/**
 * The whole app, wired but not yet serving: no port bound, no Slack socket open, no job taken. `listen()`
 * starts it; `close()` releases everything it holds, whether it was started or not.
 */
export interface BuiltArchitect {
  /** The HTTP server (health, readiness, metrics, Slack's requests in HTTP mode) and the admin one. */
  app: { http: Server; admin: Server | undefined };
  /** The BullMQ worker, when this process's role runs one. */
  worker: ConsultationWorker | undefined;
  /** Binds the ports, opens the Slack socket (Socket Mode) and starts taking jobs. */
  listen(): Promise<Ports>;
  close(): Promise<void>;
}

/** What every role of the process shares: one Redis, one Slack client, the agents, the stores. */
interface Shared {
  config: Config;
  logger: Logger;
  redis: Redis;
  /** SLACK_BOT_TOKEN's client; in OAuth mode one without a token, each job using its workspace's. */
  slack: WebClient;
  /** Every Slack call of the process waits for its workspace's budget, shared through Redis. */
  scheduler: SlackCallScheduler;
  /** Who the bot is, in single-workspace mode; in OAuth mode each installation says. */
  identity: BotIdentity | undefined;
  /** OAuth mode: the installations in PostgreSQL and each workspace's Slack. */
  installations: Installations | undefined;
  agents: AgentRegistry;
  reviews: ReviewStore;
  userReviews: UserReviews;
  costGuard: CostGuard;
  /** Each workspace's Save as ADR destinations (ingress) and ADRs as precedent (worker). */
  adrs: WorkspaceAdrServices;
  observability: ReturnType<typeof createObservability>;
}

type Closer = () => Promise<unknown>;

/** The ports a started process listens on. */
interface Ports {
  port: number;
  adminPort: number | undefined;
  metricsPort: number | undefined;
}

/** Builds and starts the roles this process runs: `buildArchitect`, then `listen()`. */
export async function startArchitect(config: Config, logger: Logger): Promise<Architect> {
  const built = await buildArchitect(config, logger);
  const ports = await built.listen();
  return { ...ports, stop: () => built.close() };
}

/**
 * Builds the roles this process runs (Slack ingress, worker or both), wiring each stage's dependencies
 * explicitly so that any stage can be built alone, and the whole app without a server.
 */
export async function buildArchitect(config: Config, logger: Logger): Promise<BuiltArchitect> {
  const shared = await buildShared(config, logger);
  const worker = config.role !== 'web' ? buildWorker(shared) : undefined;
  const front = config.role !== 'worker' ? buildIngress(shared) : undefined;
  const http = buildHttp(shared, front?.ingress);

  const closers: Closer[] = [...http.closers];
  if (front) {
    closers.push(
      () => front.ingress.stop(),
      () => front.queue.close(),
    );
  }
  if (worker) closers.push(() => worker.close());
  closers.push(
    () => shared.observability.close(),
    async () => shared.installations?.close(),
    // QUIT on a connection that is down leaves ioredis's reconnect timer behind; there is nothing to flush.
    async () => {
      if (shared.redis.status === 'ready') await shared.redis.quit().catch(() => shared.redis.disconnect());
      else shared.redis.disconnect();
    },
  );

  return {
    app: { http: http.server, admin: http.adminServer },
    worker,
    listen: async () => {
      const ports = await http.listen();
      await front?.ingress.start();
      worker?.start();
      logger.info(
        {
          role: config.role,
          mode: config.slack.mode,
          ...ports,
          agents: shared.agents.list().map((a) => a.name),
        },
        'architect started',
      );
      return ports;
    },
    close: async () => {
      http.closeConnections();
      for (const close of closers) {
        // One stuck close (Redis gone, say) must not keep the process from exiting.
        await withTimeout(close(), 5000, 'close timed out').catch((error: unknown) =>
          logger.warn({ err: errorMessage(error) }, 'error while stopping'),
        );
      }
    },
  };
}

/** Agents, Redis and the stores on it, metrics, and who the bot is in Slack: what both roles need. */
async function buildShared(config: Config, logger: Logger): Promise<Shared> {
  const agents = await AgentRegistry.load(
    config.agentsDir,
    { defaultModel: config.anthropic.defaultModel, aliases: config.anthropic.modelAliases },
    logger,
  );
  requireAgent(agents, config.defaultAgent);

  const redis = createFailFastRedis(config.redisUrl, { connectionName: 'architect-producer' });
  redis.on('error', (error) => logger.debug({ err: error.message }, 'redis connection error'));
  // Give Redis a moment so the first requests find the queue; a Redis that is down does not stop start-up.
  await withTimeout(once(redis, 'ready'), 3000, 'Redis did not answer within 3 s').catch((error: unknown) =>
    logger.warn(
      { err: errorMessage(error) },
      'Redis is not reachable yet; requests will be refused until it is',
    ),
  );
  if (redis.status === 'ready') await warnUnlessNoEviction(redis, logger);
  const reviews = new ReviewStore(redis, config.queuePrefix);
  const observability = createObservability({
    redis,
    prefix: config.queuePrefix,
    adminPassword: config.adminPassword,
  });
  // One Slack budget per workspace for every process of the deployment, kept in Redis.
  const scheduler = new SlackCallScheduler(
    new SlackBudgetStore(redis, config.queuePrefix),
    rateTiers(config.slack.rateLimits),
    logger.child({ component: 'slack-budget' }),
    observability.metrics.slackScheduler(),
    config.slack.timeoutMs,
  );
  const clientOptions = {
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    logger,
    fetch: observability.metrics.slackFetch(),
    scheduler,
  };
  const { workspaces } = config.slack;
  const single = workspaces.mode === 'single';
  const slack = createSlackWebClient({ ...clientOptions, token: single ? workspaces.botToken : undefined });
  const installations = single ? undefined : await Installations.open(workspaces, clientOptions);
  const adrDeps = { redis, prefix: config.queuePrefix, logger };
  return {
    config,
    logger,
    redis,
    slack,
    scheduler,
    // Once, for every role: a bad token is a start-up error, and Bolt needs no auth.test of its own
    // (its own runs unawaited, and a failure there would end the process with an unhandled rejection).
    identity: single ? await resolveBotIdentity(slack, config.slack.apiUrl) : undefined,
    installations,
    agents,
    reviews,
    userReviews: new UserReviews(redis, config.queuePrefix, reviews),
    costGuard: new CostGuard(redis, config.queuePrefix, config.costGuard, config.dedupTtlMs),
    adrs: installations
      ? createWorkspaceAdrServices(installations.settings, { apiUrl: config.adr.apiUrl }, adrDeps)
      : createAdrServices(config.adr, adrDeps),
    observability,
  };
}

/** The worker role: BullMQ worker, Claude, and the Slack reads and writes of a consultation. */
function buildWorker(shared: Shared): ConsultationWorker {
  const { config, slack, installations } = shared;
  const parts = workerSlackParts(config, {
    slack,
    // OAuth mode's shared parts are never used for a job: depsForJob swaps in the workspace's.
    identity: shared.identity ?? { userId: '', botId: '' },
    token: config.slack.workspaces.mode === 'single' ? config.slack.workspaces.botToken : '',
  });
  const anthropic = new Anthropic({
    apiKey: config.anthropic.apiKey,
    ...(config.anthropic.baseUrl ? { baseURL: config.anthropic.baseUrl } : {}),
    maxRetries: config.anthropic.maxRetries,
    timeout: config.anthropic.timeoutMs,
  });
  return new ConsultationWorker(
    {
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      concurrency: config.workerConcurrency,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      lockDurationMs: config.queue.lockDurationMs,
      stalledIntervalMs: config.queue.stalledIntervalMs,
      maxStalledCount: config.queue.maxStalledCount,
      keepCompleted: config.queue.keepCompleted,
      keepFailed: config.queue.keepFailed,
    },
    {
      slack: parts.slack,
      reader: parts.reader,
      users: parts.users,
      ...(installations ? { slackFor: workspaceSlackParts(config, installations) } : {}),
      agents: shared.agents,
      consultant: new ClaudeConsultant(anthropic, {
        maxTokens: config.anthropic.maxTokens,
        thinking: config.anthropic.thinking,
        streamRetries: config.anthropic.streamRetries,
        idleTimeoutMs: config.anthropic.idleTimeoutMs,
      }),
      reviews: shared.reviews,
      logger: shared.logger,
      metrics: shared.observability.metrics,
      userReviews: shared.userReviews,
      costGuard: shared.costGuard,
      responseUrls: new ResponseUrlClient(config.slack.apiUrl),
      precedentFor: async (teamId) => (await shared.adrs.forTeam(teamId)).precedent,
      context: {
        files: parts.files,
        fileBytes: new ByteBudget(config.context.fileBytesInMemoryMax),
        tokenBudget: config.context.tokenBudget,
        progressIntervalMs: config.context.progressIntervalMs,
        streaming: config.context.streaming,
        cacheTtl: config.context.cacheTtl,
      },
    },
  );
}

/** What a worker reads and writes Slack with, for one bot token. */
function workerSlackParts(
  config: Config,
  ws: WorkspaceSlack,
): WorkspaceWorkerParts & { files: ThreadFileReader } {
  return {
    slack: ws.slack,
    reader: new ThreadReader(ws.slack, ws.identity),
    users: new UserDirectory(ws.slack),
    files: new ThreadFileReader({
      token: ws.token,
      apiUrl: config.slack.apiUrl,
      limits: {
        maxBytes: config.context.fileMaxBytes,
        textTokenBudget: config.context.fileTextTokenBudget,
        timeoutMs: config.context.fileTimeoutMs,
      },
    }),
  };
}

/**
 * OAuth mode: each job's workspace parts, looked up by the ids it carries. Kept per token, so a
 * workspace's user directory cache lives on between its jobs, and a rotated token gets fresh parts.
 */
function workspaceSlackParts(
  config: Config,
  installations: Installations,
): NonNullable<WorkerDeps['slackFor']> {
  const byToken = new Map<string, WorkspaceWorkerParts>();
  return async (ref) => {
    const ws = await installations.slackFor(ref);
    if (!ws) return undefined;
    const known = byToken.get(ws.token);
    if (known) return known;
    if (byToken.size >= 1000) byToken.clear();
    const parts = workerSlackParts(config, ws);
    byToken.set(ws.token, parts);
    return parts;
  };
}

/** The web role: the queue it feeds and Bolt's listeners. */
function buildIngress(shared: Shared): {
  queue: ConsultationQueue;
  ingress: ReturnType<typeof createSlackIngress>;
} {
  const { config, redis, logger } = shared;
  const queue = new ConsultationQueue({
    connection: redis,
    prefix: config.queuePrefix,
    dedupTtlMs: config.dedupTtlMs,
    attempts: config.jobAttempts,
    keepCompleted: config.queue.keepCompleted,
    keepFailed: config.queue.keepFailed,
  });
  const ingress = createSlackIngress(
    config,
    logger,
    shared.identity,
    {
      queue,
      reviews: shared.reviews,
      access: config.access,
      costGuard: shared.costGuard,
      agents: shared.agents,
      defaultAgent: config.defaultAgent,
      reviewReaction: config.reviewReaction,
      logger,
      newRequestId: randomUUID,
      metrics: shared.observability.metrics,
      slackScheduler: shared.scheduler,
      userReviews: shared.userReviews,
      viewedContexts: new ViewedContexts(redis, config.queuePrefix),
      adrs: { forTeam: async (teamId) => (await shared.adrs.forTeam(teamId)).publishing },
      ...(shared.installations ? oauthIngressParts(shared, shared.installations) : {}),
    },
    shared.installations?.store,
  );
  return { queue, ingress };
}

/**
 * `POST /mcp` for remote agents (MCP_TOKEN): reviews run here, in the process that answers, as the CLI
 * runs them (no queue: the caller waits on the HTTP response), admitted through the cost guard.
 */
function mcpEndpoint(shared: Shared, mcp: NonNullable<Config['mcp']>) {
  const { config, logger } = shared;
  // Loaded only with MCP_TOKEN: a bot without /mcp does not pay the MCP SDK's start-up time.
  const { createMcpEndpoint } = require('./mcp/http-endpoint') as typeof McpHttpEndpoint;
  const teamId = mcp.teamId ?? shared.identity?.teamId;
  return createMcpEndpoint({
    tokens: mcp.tokens,
    bodyLimitBytes: config.context.fileMaxBytes * 2 + MCP_BODY_OVERHEAD_BYTES,
    logger,
    depsFor: remoteMcpDeps({
      agents: shared.agents,
      defaultAgent: config.defaultAgent,
      context: {
        tokenBudget: config.context.tokenBudget,
        files: { maxBytes: config.context.fileMaxBytes, textTokenBudget: config.context.fileTextTokenBudget },
      },
      consultant: createConsultant(config.anthropic),
      costGuard: shared.costGuard,
      adrs: teamId
        ? teamAdrsForMcp(
            shared.adrs,
            teamId,
            shared.installations
              ? `workspace ${teamId} has no ADR repository: its admins set one in Settings, in Architect's App Home`
              : 'this Architect has no team ADRs: its operator sets ADR_DIR or GITHUB_REPOSITORY',
          )
        : undefined,
      teamId,
      logger,
    }),
  });
}

/** OAuth mode: installations are deleted on uninstall, and the workspace's data with them. */
function oauthIngressParts(shared: Shared, installations: Installations) {
  const data = new WorkspaceData(shared.redis, shared.config.queuePrefix);
  return {
    installations: installations.store,
    settings: { store: installations.settings, admins: shared.config.settingsAdmins },
    forgetWorkspace: async (teamId: string) => {
      await installations.settings.forget(teamId);
      return data.forget(teamId);
    },
  };
}

/** The HTTP server (health, readiness, metrics, Slack's requests in HTTP mode) and the admin listener. */
function buildHttp(
  shared: Shared,
  ingress: ReturnType<typeof createSlackIngress> | undefined,
): {
  server: Server;
  adminServer: Server | undefined;
  listen(): Promise<Ports>;
  closers: Closer[];
  closeConnections(): void;
} {
  const { config, logger, observability } = shared;
  const metrics = () => observability.metrics.render();
  const readiness = async () => {
    const redisUp = await pingRedis(shared.redis).then(
      () => true,
      () => false,
    );
    const agentsLoaded = shared.agents.list().length > 0;
    const slackConnected = ingress?.isConnected() ?? true;
    // OAuth mode: every Slack call needs a token from PostgreSQL.
    const database = shared.installations ? await shared.installations.ping() : undefined;
    return {
      ready: redisUp && agentsLoaded && slackConnected && database !== false,
      checks: {
        redis: redisUp,
        agents: agentsLoaded,
        slack: slackConnected,
        ...(database === undefined ? {} : { database }),
      },
    };
  };
  const { metricsListener } = config;
  // With METRICS_PORT, readiness and metrics are served only on their own listener below.
  const server = createHttpServer({
    ...(config.mcp ? { mcp: mcpEndpoint(shared, config.mcp) } : {}),
    slackListener: ingress?.requestListener,
    installPaths: shared.installations ? ['/slack/install', '/slack/oauth_redirect'] : [],
    ...(ingress?.requestListener && config.slack.signingSecret
      ? { slackGuard: { signingSecret: config.slack.signingSecret, bodyLimitBytes: SLACK_BODY_LIMIT_BYTES } }
      : {}),
    logger,
    ...(metricsListener ? {} : { metrics, readiness }),
    // With ADMIN_PORT the dashboard is served only on its own listener below.
    adminDashboard: config.adminListener ? undefined : observability.adminDashboard,
  });
  const metricsServer = metricsListener ? createMetricsServer({ readiness, metrics, logger }) : undefined;
  const { adminListener } = config;
  const adminServer =
    adminListener && observability.adminDashboard
      ? createAdminServer({ adminDashboard: observability.adminDashboard, logger })
      : undefined;
  // A server that never listened has nothing to close (close() would call back with ERR_SERVER_NOT_RUNNING).
  const closeServer = (s: Server) => async () => {
    if (s.listening) await new Promise((resolve) => s.close(() => resolve(undefined)));
  };
  return {
    server,
    adminServer,
    listen: async () => {
      const port = await listen(server, config.port);
      const adminPort =
        adminServer && adminListener
          ? await listen(adminServer, adminListener.port, adminListener.host)
          : undefined;
      const metricsPort =
        metricsServer && metricsListener
          ? await listen(metricsServer, metricsListener.port, metricsListener.host)
          : undefined;
      return { port, adminPort, metricsPort };
    },
    closers: [server, adminServer, metricsServer].flatMap((s) => (s ? [closeServer(s)] : [])),
    closeConnections: () => {
      server.closeAllConnections();
      adminServer?.closeAllConnections();
      metricsServer?.closeAllConnections();
    },
  };
}

/**
 * The ADRs an MCP review uses: those of the workspace whose budget it spends (MCP_TEAM_ID), looked up at
 * each call, so in OAuth mode they are that workspace's own (its Settings), as in its Slack reviews.
 */
function teamAdrsForMcp(adrs: WorkspaceAdrServices, teamId: string, noAdrs: string) {
  const services = () => adrs.forTeam(teamId);
  return {
    label: `workspace ${teamId}'s ADRs`,
    read: async (): Promise<AdrReading> => {
      const { catalog } = await services();
      if (!catalog) throw new CliError(noAdrs);
      return catalog.read();
    },
    precedent: {
      forRequest: async (query: string, tokenBudget: number) =>
        (await services()).precedent?.forRequest(query, tokenBudget),
    },
  };
}
