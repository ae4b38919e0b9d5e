import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import Anthropic from '@anthropic-ai/sdk';
import { CostGuard } from './access/cost-guard';
import { AgentRegistry, requireAgent } from './agents/agent-registry';
import type { Config } from './config/config';
import { ClaudeConsultant } from './consultation/claude-consultant';
import { ThreadFileReader } from './consultation/files';
import { ThreadReader } from './consultation/thread-reader';
import { UserDirectory } from './consultation/user-directory';
import { createAdminServer, createHttpServer, listen } from './http/http-server';
import { createSlackIngress } from './ingress/slack-app';
import { ViewedContexts } from './ingress/viewed-context';
import { errorMessage } from './lib/error-message';
import { withTimeout } from './lib/with-timeout';
import type { Logger } from './logger';
import { createObservability } from './observability/observability';
import { ConsultationQueue } from './queue/consultation-queue';
import { createFailFastRedis, pingRedis } from './queue/redis-connections';
import { warnUnlessNoEviction } from './queue/redis-policy';
import { ReviewStore } from './reviews/review-store';
import { UserReviews } from './reviews/user-reviews';
import { resolveBotIdentity } from './slack/bot-identity';
import { ResponseUrlClient } from './slack/response-url';
import { createSlackWebClient } from './slack/web-client';
import { ConsultationWorker } from './worker/consultation-worker';

/** Slack's largest payloads (a long slash command, a modal full of answers) are far below this. */
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** A running Architect process: what `main` starts and stops, and what tests build in-process. */
export interface Architect {
  /** The port the HTTP server listens on (useful when PORT=0). */
  port: number;
  /** The dashboard's own port when ADMIN_PORT is set. */
  adminPort: number | undefined;
  stop(): Promise<void>;
}

/**
 * Builds and starts the roles this process runs (Slack ingress, worker or both), wiring each stage's
 * dependencies explicitly so that any stage can be built alone.
 */
export async function startArchitect(config: Config, logger: Logger): Promise<Architect> {
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
  const userReviews = new UserReviews(redis, config.queuePrefix, reviews);
  const costGuard = new CostGuard(redis, config.queuePrefix, config.costGuard, config.dedupTtlMs);
  const observability = createObservability({
    redis,
    prefix: config.queuePrefix,
    adminPassword: config.adminPassword,
  });
  const { metrics } = observability;
  const runsIngress = config.role !== 'worker';
  const runsWorker = config.role !== 'web';
  const closers: (() => Promise<unknown>)[] = [];

  const slack = createSlackWebClient({
    token: config.slack.botToken,
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    logger,
    fetch: metrics.slackFetch(),
  });
  // Once, for every role: a bad token is a start-up error, and Bolt needs no auth.test of its own
  // (its own runs unawaited, and a failure there would end the process with an unhandled rejection).
  const identity = await resolveBotIdentity(slack, config.slack.apiUrl);

  let worker: ConsultationWorker | undefined;
  if (runsWorker) {
    const anthropic = new Anthropic({
      apiKey: config.anthropic.apiKey,
      ...(config.anthropic.baseUrl ? { baseURL: config.anthropic.baseUrl } : {}),
      maxRetries: config.anthropic.maxRetries,
      timeout: config.anthropic.timeoutMs,
    });
    worker = new ConsultationWorker(
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
        slack,
        reader: new ThreadReader(slack, identity),
        users: new UserDirectory(slack),
        agents,
        consultant: new ClaudeConsultant(anthropic, {
          maxTokens: config.anthropic.maxTokens,
          streamRetries: config.anthropic.streamRetries,
          idleTimeoutMs: config.anthropic.idleTimeoutMs,
        }),
        reviews,
        logger,
        metrics,
        userReviews,
        costGuard,
        responseUrls: new ResponseUrlClient(config.slack.apiUrl),
        context: {
          files: new ThreadFileReader({
            token: config.slack.botToken,
            apiUrl: config.slack.apiUrl,
            limits: {
              maxBytes: config.context.fileMaxBytes,
              textTokenBudget: config.context.fileTextTokenBudget,
              timeoutMs: config.context.fileTimeoutMs,
            },
          }),
          tokenBudget: config.context.tokenBudget,
          progressIntervalMs: config.context.progressIntervalMs,
          streaming: config.context.streaming,
          cacheTtl: config.context.cacheTtl,
        },
      },
    );
  }

  let queue: ConsultationQueue | undefined;
  let ingress: ReturnType<typeof createSlackIngress> | undefined;
  if (runsIngress) {
    queue = new ConsultationQueue({
      connection: redis,
      prefix: config.queuePrefix,
      dedupTtlMs: config.dedupTtlMs,
      attempts: config.jobAttempts,
      keepCompleted: config.queue.keepCompleted,
      keepFailed: config.queue.keepFailed,
    });
    ingress = createSlackIngress(config, logger, identity, {
      queue,
      reviews,
      access: config.access,
      costGuard,
      agents,
      defaultAgent: config.defaultAgent,
      reviewReaction: config.reviewReaction,
      logger,
      newRequestId: randomUUID,
      metrics,
      userReviews,
      viewedContexts: new ViewedContexts(redis, config.queuePrefix),
    });
  }

  const server = createHttpServer({
    slackListener: ingress?.requestListener,
    ...(ingress?.requestListener && config.slack.signingSecret
      ? { slackGuard: { signingSecret: config.slack.signingSecret, bodyLimitBytes: SLACK_BODY_LIMIT_BYTES } }
      : {}),
    logger,
    metrics: () => metrics.render(),
    // With ADMIN_PORT the dashboard is served only on its own listener below.
    adminDashboard: config.adminListener ? undefined : observability.adminDashboard,
    readiness: async () => {
      const redisUp = await pingRedis(redis).then(
        () => true,
        () => false,
      );
      const agentsLoaded = agents.list().length > 0;
      const slackConnected = ingress?.isConnected() ?? true;
      return {
        ready: redisUp && agentsLoaded && slackConnected,
        checks: { redis: redisUp, agents: agentsLoaded, slack: slackConnected },
      };
    },
  });
  const port = await listen(server, config.port);
  closers.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  const adminServer =
    config.adminListener && observability.adminDashboard
      ? createAdminServer({ adminDashboard: observability.adminDashboard, logger })
      : undefined;
  const adminPort =
    adminServer && config.adminListener
      ? await listen(adminServer, config.adminListener.port, config.adminListener.host)
      : undefined;
  if (adminServer) closers.push(() => new Promise((resolve) => adminServer.close(() => resolve(undefined))));

  if (ingress) {
    await ingress.start();
    closers.push(() => ingress.stop());
  }
  if (queue) closers.push(() => queue.close());
  if (worker) {
    worker.start();
    closers.push(() => worker.close());
  }
  closers.push(() => observability.close());
  // QUIT on a connection that is down leaves ioredis's reconnect timer behind; there is nothing to flush.
  closers.push(async () => {
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  });

  logger.info(
    { role: config.role, mode: config.slack.mode, port, adminPort, agents: agents.list().map((a) => a.name) },
    'architect started',
  );
  return {
    port,
    adminPort,
    stop: async () => {
      server.closeAllConnections();
      adminServer?.closeAllConnections();
      for (const close of closers) {
        // One stuck close (Redis gone, say) must not keep the process from exiting.
        await withTimeout(close(), 5000, 'close timed out').catch((error: unknown) =>
          logger.warn({ err: errorMessage(error) }, 'error while stopping'),
        );
      }
    },
  };
}
