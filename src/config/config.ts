import { z } from 'zod';

/** The Sonnet model used when neither the agent nor ANTHROPIC_MODEL names one. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** Model ids that Claude Code's short aliases resolve to; each can be overridden by MODEL_ALIAS_<ALIAS>. */
export const DEFAULT_MODEL_ALIASES = {
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
  haiku: 'claude-haiku-5-5',
  // Claude Code's model configuration docs: `fable` resolves to Fable 5.2 (claude-fable-5-2) on the API.
  fable: 'claude-fable-5-2',
} as const;

/** Thrown when the environment cannot be turned into a usable configuration; the message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'ARCHITECT_CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const url = (what: string) =>
  z.preprocess(emptyAsUndefined, z.url({ message: `must be a URL (${what})` }).optional());
const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

const nonNegativeInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(fallback));
/** A comma-separated list of Slack ids; empty means "no restriction". */
const idList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    )
    .pipe(
      z.array(z.string().regex(/^[A-Z0-9]+$/, { message: 'must be a comma-separated list of Slack ids' })),
    ),
);

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string({ message: 'is required (the bot token, xoxb-…)' }).startsWith('xoxb-', {
      message: 'must be a bot token starting with xoxb-',
    }),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().startsWith('xapp-', { message: 'must be an app-level token starting with xapp-' }).optional(),
  ),
  SLACK_MODE: z.preprocess(
    emptyAsUndefined,
    z.enum(['socket', 'http'], { message: 'must be "socket" or "http"' }).optional(),
  ),
  SLACK_API_URL: url('the Slack Web API base, e.g. https://slack.com/api/'),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(65535, { message: 'must be a port number' }).default(3000),
  ),
  ANTHROPIC_API_KEY: z.preprocess(
    emptyAsUndefined,
    z.string({ message: 'is required (your Claude API key)' }),
  ),
  ANTHROPIC_BASE_URL: url('the Claude API base'),
  ANTHROPIC_MODEL: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL)),
  ANTHROPIC_MAX_RETRIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10).default(3)),
  ANTHROPIC_TIMEOUT_MS: positiveInt(300_000),
  ANTHROPIC_MAX_TOKENS: positiveInt(8192),
  MODEL_ALIAS_SONNET: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL_ALIASES.sonnet)),
  MODEL_ALIAS_OPUS: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL_ALIASES.opus)),
  MODEL_ALIAS_HAIKU: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL_ALIASES.haiku)),
  MODEL_ALIAS_FABLE: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL_ALIASES.fable)),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  QUEUE_PREFIX: z.preprocess(emptyAsUndefined, z.string().default('architect')),
  ROLE: z.preprocess(
    emptyAsUndefined,
    z.enum(['all', 'web', 'worker'], { message: 'must be "all", "web" or "worker"' }).default('all'),
  ),
  WORKER_CONCURRENCY: positiveInt(25),
  AGENTS_DIR: z.preprocess(emptyAsUndefined, z.string().default('agents')),
  DEFAULT_AGENT: z.preprocess(emptyAsUndefined, z.string().default('backend-architect')),
  REVIEW_REACTION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((s) => s.replace(/^:|:$/g, ''))
      .pipe(
        z
          .string()
          .regex(/^[a-z0-9_+'-]+$/, { message: 'must be an emoji name such as building_construction' }),
      )
      .default('building_construction'),
  ),
  DEDUP_TTL_MS: positiveInt(60 * 60 * 1000),
  SLACK_TIMEOUT_MS: positiveInt(10_000),
  JOB_ATTEMPTS: positiveInt(3),
  SHUTDOWN_TIMEOUT_MS: positiveInt(30_000),
  LOCK_DURATION_MS: positiveInt(15_000),
  STALLED_INTERVAL_MS: positiveInt(5_000),
  MAX_STALLED_COUNT: positiveInt(2),
  KEEP_COMPLETED_JOBS: positiveInt(1000),
  KEEP_COMPLETED_SECONDS: positiveInt(24 * 3600),
  KEEP_FAILED_JOBS: positiveInt(1000),
  KEEP_FAILED_SECONDS: positiveInt(7 * 24 * 3600),
  ANTHROPIC_STREAM_RETRIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(5).default(2)),
  ANTHROPIC_IDLE_TIMEOUT_MS: positiveInt(60_000),
  ALLOWED_CHANNELS: idList,
  ALLOWED_USERS: idList,
  ALLOWED_TEAMS: idList,
  RATE_LIMIT_PER_USER_PER_HOUR: nonNegativeInt(30),
  DAILY_TOKEN_BUDGET_PER_TEAM: nonNegativeInt(5_000_000),
  ADMIN_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(12, { message: 'must be at least 12 characters (it guards the queue dashboard)' })
      .optional(),
  ),
  CONTEXT_TOKEN_BUDGET: positiveInt(120_000),
  FILE_MAX_BYTES: positiveInt(10 * 1024 * 1024),
  FILE_TEXT_TOKEN_BUDGET: positiveInt(20_000),
  FILE_DOWNLOAD_TIMEOUT_MS: positiveInt(15_000),
  PROGRESS_UPDATE_INTERVAL_MS: positiveInt(1000),
  STREAMING_ENABLED: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be "true" or "false"' })
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type Role = 'all' | 'web' | 'worker';

/** Everything the bot needs from its environment, validated and with defaults applied. */
export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    mode: 'socket' | 'http';
    apiUrl: string | undefined;
    timeoutMs: number;
  };
  port: number;
  anthropic: {
    apiKey: string;
    baseUrl: string | undefined;
    defaultModel: string;
    modelAliases: Record<string, string>;
    maxRetries: number;
    timeoutMs: number;
    maxTokens: number;
    /** Retries of a response that broke off mid-stream (the SDK retries only before the response starts). */
    streamRetries: number;
    /** A stream silent this long is treated as broken. */
    idleTimeoutMs: number;
  };
  redisUrl: string;
  queuePrefix: string;
  role: Role;
  workerConcurrency: number;
  agentsDir: string;
  defaultAgent: string;
  reviewReaction: string;
  dedupTtlMs: number;
  jobAttempts: number;
  logLevel: string;
  /** Turns on the queue dashboard at /admin/queues (HTTP basic auth); undefined keeps it off. */
  adminPassword: string | undefined;
  shutdownTimeoutMs: number;
  queue: {
    lockDurationMs: number;
    stalledIntervalMs: number;
    maxStalledCount: number;
    keepCompleted: { count: number; age: number };
    keepFailed: { count: number; age: number };
  };
  /** Empty lists mean everyone is allowed. */
  access: { channels: string[]; users: string[]; teams: string[] };
  /** 0 disables a limit. */
  costGuard: { requestsPerUserPerHour: number; dailyTokenBudgetPerTeam: number };
  /** What a consultation reads and how it reports progress. */
  context: {
    /** Tokens one request to Claude may use: thread, files, system prompt and request. */
    tokenBudget: number;
    /** Largest file downloaded from a thread, in bytes. */
    fileMaxBytes: number;
    /** Tokens one text file may use; longer ones are cut with a note. */
    fileTextTokenBudget: number;
    fileTimeoutMs: number;
    /** Least time between two progress updates of one placeholder. */
    progressIntervalMs: number;
    /** Streams the summary with Slack's chat.startStream/appendStream/stopStream; off: chat.update only. */
    streaming: boolean;
  };
}

/** Parses the environment once. Throws a ConfigError naming every missing or malformed variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || '(environment)';
      problems.push(`${name} ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const mode = e.SLACK_MODE ?? (e.SLACK_APP_TOKEN ? 'socket' : 'http');
  if (mode === 'http' && !e.SLACK_SIGNING_SECRET) {
    problems.push(
      'SLACK_SIGNING_SECRET is required when SLACK_MODE=http (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (mode === 'socket' && !e.SLACK_APP_TOKEN) {
    problems.push('SLACK_APP_TOKEN is required when SLACK_MODE=socket (an app-level token, xapp-…)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      mode,
      apiUrl: e.SLACK_API_URL,
      timeoutMs: e.SLACK_TIMEOUT_MS,
    },
    port: e.PORT,
    anthropic: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      defaultModel: e.ANTHROPIC_MODEL,
      modelAliases: {
        sonnet: e.MODEL_ALIAS_SONNET,
        opus: e.MODEL_ALIAS_OPUS,
        haiku: e.MODEL_ALIAS_HAIKU,
        fable: e.MODEL_ALIAS_FABLE,
      },
      maxRetries: e.ANTHROPIC_MAX_RETRIES,
      timeoutMs: e.ANTHROPIC_TIMEOUT_MS,
      maxTokens: e.ANTHROPIC_MAX_TOKENS,
      streamRetries: e.ANTHROPIC_STREAM_RETRIES,
      idleTimeoutMs: e.ANTHROPIC_IDLE_TIMEOUT_MS,
    },
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    role: e.ROLE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    agentsDir: e.AGENTS_DIR,
    defaultAgent: e.DEFAULT_AGENT,
    reviewReaction: e.REVIEW_REACTION,
    dedupTtlMs: e.DEDUP_TTL_MS,
    jobAttempts: e.JOB_ATTEMPTS,
    logLevel: e.LOG_LEVEL,
    adminPassword: e.ADMIN_PASSWORD,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    queue: {
      lockDurationMs: e.LOCK_DURATION_MS,
      stalledIntervalMs: e.STALLED_INTERVAL_MS,
      maxStalledCount: e.MAX_STALLED_COUNT,
      keepCompleted: { count: e.KEEP_COMPLETED_JOBS, age: e.KEEP_COMPLETED_SECONDS },
      keepFailed: { count: e.KEEP_FAILED_JOBS, age: e.KEEP_FAILED_SECONDS },
    },
    access: { channels: e.ALLOWED_CHANNELS, users: e.ALLOWED_USERS, teams: e.ALLOWED_TEAMS },
    costGuard: {
      requestsPerUserPerHour: e.RATE_LIMIT_PER_USER_PER_HOUR,
      dailyTokenBudgetPerTeam: e.DAILY_TOKEN_BUDGET_PER_TEAM,
    },
    context: {
      tokenBudget: e.CONTEXT_TOKEN_BUDGET,
      fileMaxBytes: e.FILE_MAX_BYTES,
      fileTextTokenBudget: e.FILE_TEXT_TOKEN_BUDGET,
      fileTimeoutMs: e.FILE_DOWNLOAD_TIMEOUT_MS,
      progressIntervalMs: e.PROGRESS_UPDATE_INTERVAL_MS,
      streaming: e.STREAMING_ENABLED,
    },
  };
}
