import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import type { Agent } from '../../src/agents/agent';
import { AgentRegistry } from '../../src/agents/agent-registry';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from '../../src/config/config';
import { ClaudeConsultant } from '../../src/consultation/claude-consultant';
import { createLogger } from '../../src/logger';
import type { Checkpoints, ConsultationJob, QueuedRequest } from '../../src/queue/consultation-job';
import { ThreadReader } from '../../src/slack/thread-reader';
import { UserDirectory } from '../../src/slack/user-directory';
import { ReviewStore } from '../../src/stores/review-store';
import { ConsultationRun } from '../../src/worker/consultation-run';
import type { OpenedThread } from '../../src/worker/open-thread';
import type { ConsultationProgress } from '../../src/worker/progress/consultation-progress';
import { ReviewThread } from '../../src/worker/review-thread';
import type { RunContext, StageContext } from '../../src/worker/stage-context';
import type { WorkerDeps } from '../../src/worker/worker-deps';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { SlackApiFake } from '../fakes/slack-api-fake';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from './redis-keys';
import { CHANNEL, TEAM, USER } from './slack-payloads';

export const BOT = { userId: 'UBOT', botId: 'BBOT' };

/** The worker's real dependencies against the loopback fakes and a real Redis, on a key prefix of its own. */
export interface WorkerStageKit {
  slack: SlackApiFake;
  claude: AnthropicFake;
  client: WebClient;
  deps: WorkerDeps;
  reviews: ReviewStore;
  /** Every checkpoint each run saved, in order. */
  saved: ConsultationJob[];
  /** A run of a request like a mention's, with `request` and any `checkpoints` of an earlier attempt. */
  run(request?: Partial<QueuedRequest>, checkpoints?: Checkpoints): ConsultationRun;
  /** What the first stages of `run` share, as processConsultation builds it. */
  context(run: ConsultationRun): RunContext;
  /** What the later stages of `run` share, once its thread is open, with `deps` overridden as given. */
  stage(
    run: ConsultationRun,
    parts: { opened: OpenedThread; agent: Agent; progress: ConsultationProgress; deps?: Partial<WorkerDeps> },
  ): StageContext;
  close(): Promise<void>;
}

export async function startWorkerStages(overrides: Partial<WorkerDeps> = {}): Promise<WorkerStageKit> {
  const slack = await SlackApiFake.start();
  const claude = await AnthropicFake.start();
  const prefix = `architect-test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(TEST_REDIS_URL);
  const logger = createLogger({ level: 'silent' });
  const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const agents = await AgentRegistry.load(
    path.resolve(__dirname, '../../agents'),
    { defaultModel: DEFAULT_MODEL, aliases: DEFAULT_MODEL_ALIASES },
    logger,
  );
  const reviews = new ReviewStore(redis, prefix);
  const anthropic = new Anthropic({ apiKey: claude.apiKey, baseURL: claude.baseURL, maxRetries: 0 });
  const deps: WorkerDeps = {
    slack: client,
    reader: new ThreadReader(client, BOT),
    users: new UserDirectory(client),
    agents,
    consultant: new ClaudeConsultant(anthropic, { maxTokens: 4096, streamRetries: 0, idleTimeoutMs: 10_000 }),
    reviews,
    logger,
    ...overrides,
  };
  const saved: ConsultationJob[] = [];
  return {
    slack,
    claude,
    client,
    deps,
    reviews,
    saved,
    run: (request = {}, checkpoints = {}) =>
      new ConsultationRun(
        {
          request: {
            requestId: randomUUID(),
            trigger: 'mention',
            teamId: TEAM,
            channelId: CHANNEL,
            userId: USER,
            agentName: 'backend-architect',
            text: 'Please review this design.',
            requestedAt: Date.now(),
            ...request,
          },
          checkpoints,
        },
        async (next) => {
          saved.push(next);
        },
        logger,
      ),
    context: (run) => ({ run, deps, thread: new ReviewThread(client, run) }),
    stage: (run, { deps: more, ...parts }) => ({
      run,
      deps: { ...deps, ...more },
      thread: new ReviewThread(client, run),
      ...parts,
    }),
    close: async () => {
      await Promise.all([slack.close(), claude.close()]);
      await deleteKeysWithPrefix(prefix);
      redis.disconnect();
    },
  };
}
