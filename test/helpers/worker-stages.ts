import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { AgentRegistry } from '../../src/agents/agent-registry';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from '../../src/config/config';
import { ClaudeConsultant } from '../../src/consultation/claude-consultant';
import { createLogger } from '../../src/logger';
import type { ConsultationJob } from '../../src/queue/consultation-job';
import { ThreadReader } from '../../src/slack/thread-reader';
import { UserDirectory } from '../../src/slack/user-directory';
import { ReviewStore } from '../../src/stores/review-store';
import { ConsultationRun } from '../../src/worker/consultation-run';
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
  run(data?: Partial<ConsultationJob>): ConsultationRun;
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
    run: (data = {}) =>
      new ConsultationRun(
        {
          requestId: randomUUID(),
          trigger: 'mention',
          teamId: TEAM,
          channelId: CHANNEL,
          userId: USER,
          agentName: 'backend-architect',
          text: 'Please review this design.',
          requestedAt: Date.now(),
          ...data,
        },
        async (next) => {
          saved.push(next);
        },
        logger,
      ),
    close: async () => {
      await Promise.all([slack.close(), claude.close()]);
      await deleteKeysWithPrefix(prefix);
      redis.disconnect();
    },
  };
}
