import type { WebClient } from '@slack/web-api';
import type { PrecedentSource } from '../adr/precedent';
import type { Agent } from '../agents/agent';
import type { ClaudeConsultant } from '../consultation/claude-consultant';
import type { CacheTtl } from '../consultation/prompt-caching';
import type { WorkspaceRef } from '../installations/workspace-ref';
import type { ByteBudget } from '../lib/byte-budget';
import type { Logger } from '../logger';
import type { ArchitectMetrics } from '../observability/metrics';
import type { ThreadFileReader } from '../slack/files/thread-file-reader';
import type { ResponseUrlClient } from '../slack/response-url';
import type { ThreadReader } from '../slack/thread-reader';
import type { UserDirectory } from '../slack/user-directory';
import type { CostGuard } from '../stores/cost-guard';
import type { ReviewStore } from '../stores/review-store';
import type { UserReviews } from '../stores/user-reviews';

/** What the worker's stages are built from; every part is handed in, so a test can build any stage. */
export interface WorkerDeps {
  slack: WebClient;
  reader: Pick<ThreadReader, 'readThread' | 'readMessage' | 'readRecent'>;
  users: Pick<UserDirectory, 'displayNames'>;
  agents: { get(name: string): Agent | undefined; list(): Agent[] };
  consultant: Pick<ClaudeConsultant, 'consult'>;
  reviews: Pick<ReviewStore, 'save' | 'get'>;
  logger: Logger;
  /**
   * Files, context budget and progress updates; without it no file is read, the budget is 120k tokens.
   * `streaming` streams the summary with Slack's streaming methods (STREAMING_ENABLED).
   */
  context?: {
    files?: ThreadFileReader;
    /** The process's budget of file bytes held at once (FILE_BYTES_IN_MEMORY_MAX); none: unbounded. */
    fileBytes?: ByteBudget;
    tokenBudget: number;
    progressIntervalMs: number;
    streaming?: boolean;
    /** Lifetime of the prompt-cache breakpoints (PROMPT_CACHE_TTL). */
    cacheTtl?: CacheTtl;
  };
  /** Consultation outcomes, timings and tokens for GET /metrics. */
  metrics?: ArchitectMetrics;
  /** Each delivered review is recorded for its requester's Home tab. */
  userReviews?: Pick<UserReviews, 'add'>;
  /** Adds each consultation's tokens to its workspace's daily spend (DAILY_TOKEN_BUDGET_PER_TEAM). */
  costGuard?: Pick<CostGuard, 'recordTokens' | 'canSpend'> & Partial<Pick<CostGuard, 'reserve' | 'settle'>>;
  /** The team's ADRs, given to Claude as precedent (GITHUB_REPOSITORY or ADR_DIR); none when absent. */
  precedent?: PrecedentSource;
  /**
   * Each workspace's own ADRs as precedent, looked up per job (OAuth mode: its repository from its
   * settings); when set it replaces `precedent`, so no workspace's ADRs reach another's review.
   */
  precedentFor?: (teamId: string) => Promise<PrecedentSource | undefined>;
  /** Reaches a slash command's author even where the bot cannot post. */
  responseUrls?: Pick<ResponseUrlClient, 'sendEphemeral'>;
  /**
   * OAuth mode: the Slack parts of the job's workspace (its installation's token), looked up per job;
   * undefined once the workspace has uninstalled the app. Without it every job uses `slack`.
   */
  slackFor?: (workspace: WorkspaceRef) => Promise<WorkspaceWorkerParts | undefined>;
}

/** What differs from one workspace to another in OAuth mode. */
export type WorkspaceWorkerParts = Pick<WorkerDeps, 'slack' | 'reader' | 'users'> & {
  files?: ThreadFileReader;
};
