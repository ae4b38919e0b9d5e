import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import { RateLimitOverridesSchema } from './rate-limit-overrides';

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
export class ConfigError extends CodedError<typeof ErrorCode.ConfigInvalid> {
  constructor(readonly problems: string[]) {
    super(ErrorCode.ConfigInvalid, `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
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

/**
 * One setting: its schema, what it does and, when the schema's own default does not say it (a
 * required variable, one that depends on another), how it defaults. README's settings table and the
 * docs test are generated from these, so each variable is declared here once.
 */
function setting<T extends z.ZodType>(schema: T, description: string, defaultText?: string): T {
  return schema.meta({ description, ...(defaultText ? { defaultText } : {}) });
}

/** MODEL_ALIAS_<ALIAS>, so an agent file's `model: <alias>` can mean another model id than Claude Code's. */
function modelAliasSetting(alias: keyof typeof DEFAULT_MODEL_ALIASES) {
  return setting(
    z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL_ALIASES[alias])),
    `the model id an agent file's \`model: ${alias}\` means`,
  );
}

export const EnvSchema = z.object({
  SLACK_BOT_TOKEN: setting(
    z.preprocess(
      emptyAsUndefined,
      z.string().startsWith('xoxb-', { message: 'must be a bot token starting with xoxb-' }).optional(),
    ),
    'bot token, `xoxb-…`: one workspace, the default mode',
    'required unless OAuth mode (`SLACK_CLIENT_ID`…) is set up',
  ),
  SLACK_CLIENT_ID: setting(
    optionalString,
    "OAuth mode (many workspaces install one deployment): the app's client id, with `SLACK_CLIENT_SECRET`, `SLACK_STATE_SECRET`, `DATABASE_URL` and `INSTALLATION_ENCRYPTION_KEY`, instead of `SLACK_BOT_TOKEN`; HTTP mode only",
    'unset: single-workspace mode',
  ),
  SLACK_CLIENT_SECRET: setting(
    optionalString,
    "OAuth mode: the app's client secret",
    'required in OAuth mode',
  ),
  SLACK_STATE_SECRET: setting(
    optionalString,
    'OAuth mode: signs the `state` of an install, so a redirect is only accepted for an install this app began',
    'required in OAuth mode',
  ),
  DATABASE_URL: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
        .optional(),
    ),
    'OAuth mode: PostgreSQL that keeps the installations (its schema is migrated at start-up)',
    'required in OAuth mode',
  ),
  INSTALLATION_ENCRYPTION_KEY: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((s) => s.split(',').map((k) => k.trim()))
        .pipe(
          z.array(
            z.string().regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
              message: 'must be 32-byte keys, base64 (`openssl rand -base64 32`) or hex, separated by commas',
            }),
          ),
        )
        .optional(),
    ),
    'OAuth mode: AES-256-GCM keys that encrypt the stored tokens; the first encrypts, every one decrypts (put a new key first to rotate, see docs/production.md)',
    'required in OAuth mode',
  ),
  INSTALLATION_CACHE_TTL_MS: setting(
    positiveInt(30_000),
    'OAuth mode: how long an installation read from the database is reused without reading it again',
  ),
  SLACK_SIGNING_SECRET: setting(
    optionalString,
    "verifies Slack's HTTP requests",
    'required when `SLACK_MODE=http`',
  ),
  SLACK_APP_TOKEN: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .startsWith('xapp-', { message: 'must be an app-level token starting with xapp-' })
        .optional(),
    ),
    'app-level token, `xapp-…`',
    'required when `SLACK_MODE=socket`',
  ),
  SLACK_MODE: setting(
    z.preprocess(
      emptyAsUndefined,
      z.enum(['socket', 'http'], { message: 'must be "socket" or "http"' }).optional(),
    ),
    '`socket` or `http`',
    '`socket` when `SLACK_APP_TOKEN` is set, else `http`',
  ),
  SLACK_API_URL: setting(
    url('the Slack Web API base, e.g. https://slack.com/api/'),
    "base URL of the Slack Web API for every Slack client the app creates (a proxy, or the tests' fake)",
    "Slack's own",
  ),
  PORT: setting(
    z.preprocess(
      emptyAsUndefined,
      z.coerce.number().int().min(0).max(65535, { message: 'must be a port number' }).default(3000),
    ),
    'HTTP port: `POST /slack/events` in HTTP mode; `POST /mcp` with `MCP_TOKEN`; `GET /healthz`, `GET /readyz`, `GET /metrics` and (unless `ADMIN_PORT` is set) `/admin/queues` in both modes',
  ),
  ANTHROPIC_API_KEY: setting(
    z.preprocess(emptyAsUndefined, z.string({ message: 'is required (your Claude API key)' })),
    'Claude API key',
    'required',
  ),
  ANTHROPIC_BASE_URL: setting(
    url('the Claude API base'),
    'Claude API base URL, honoured as the SDK honours it',
    "Anthropic's own",
  ),
  ANTHROPIC_MODEL: setting(
    z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_MODEL)),
    'model for agents whose `model` is `inherit` or absent',
  ),
  ANTHROPIC_MAX_RETRIES: setting(
    z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10).default(3)),
    'retries of a failed Claude request (429, 529, 5xx, connection errors), with backoff',
  ),
  ANTHROPIC_TIMEOUT_MS: setting(positiveInt(300_000), 'timeout of one Claude request'),
  ANTHROPIC_MAX_TOKENS: setting(positiveInt(8192), 'output token limit of one review'),
  ANTHROPIC_THINKING: setting(
    z.preprocess(emptyAsUndefined, z.enum(['off', 'low', 'medium', 'high']).default('off')),
    'adaptive thinking before the reply, at this effort (`off`, `low`, `medium`, `high`): Claude weighs the findings before it writes the verdict, at the cost of thinking tokens and time to the verdict (measure with `npm run bench`)',
  ),
  MODEL_ALIAS_SONNET: modelAliasSetting('sonnet'),
  MODEL_ALIAS_OPUS: modelAliasSetting('opus'),
  MODEL_ALIAS_HAIKU: modelAliasSetting('haiku'),
  MODEL_ALIAS_FABLE: modelAliasSetting('fable'),
  REDIS_URL: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
        .default('redis://127.0.0.1:6379'),
    ),
    'Redis for BullMQ',
  ),
  QUEUE_PREFIX: setting(
    z.preprocess(emptyAsUndefined, z.string().default('architect')),
    'BullMQ key prefix (use a hash tag such as `{architect}` on Redis Cluster)',
  ),
  ROLE: setting(
    z.preprocess(
      emptyAsUndefined,
      z.enum(['all', 'web', 'worker'], { message: 'must be "all", "web" or "worker"' }).default('all'),
    ),
    '`all` (ingress and worker in one process), `web` (Slack ingress only) or `worker`',
  ),
  WORKER_CONCURRENCY: setting(
    positiveInt(25),
    'consultations one worker runs at once (they wait on Claude, not the CPU)',
  ),
  AGENTS_DIR: setting(z.preprocess(emptyAsUndefined, z.string().default('agents')), 'folder of agent files'),
  DEFAULT_AGENT: setting(
    z.preprocess(emptyAsUndefined, z.string().default('backend-architect')),
    'agent used when none is named',
  ),
  REVIEW_REACTION: setting(
    z.preprocess(
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
    'emoji name that requests a review of the message it is put on',
  ),
  DEDUP_TTL_MS: setting(
    positiveInt(60 * 60 * 1000),
    'how long a redelivered Slack event is recognised as a duplicate',
  ),
  SLACK_TIMEOUT_MS: setting(positiveInt(10_000), 'timeout of one Slack Web API call'),
  SLACK_RATE_LIMITS: setting(
    z.preprocess(emptyAsUndefined, RateLimitOverridesSchema),
    "Slack call budgets that differ from Slack's documented tiers (src/slack/rate-tiers.ts), shared by every process through Redis: `method=calls/seconds` pairs, comma-separated (e.g. `chat.update=100/60,chat.postMessage=5/5`); `method=0` removes a method's budget",
    'Slack’s tiers',
  ),
  JOB_ATTEMPTS: setting(positiveInt(3), 'attempts of a consultation whose worker crashed or lost Slack'),
  SHUTDOWN_TIMEOUT_MS: setting(
    positiveInt(30_000),
    'on SIGTERM, how long running consultations may take to finish; the rest go back to the queue for another worker',
  ),
  LOCK_DURATION_MS: setting(
    positiveInt(15_000),
    "how long a worker's lock on a running consultation lasts (renewed at half of it); a crashed worker's jobs are taken over soon after it expires",
  ),
  STALLED_INTERVAL_MS: setting(
    positiveInt(5_000),
    'how often workers look for consultations whose worker died',
  ),
  MAX_STALLED_COUNT: setting(
    positiveInt(2),
    'times a consultation may be taken over after a crash before it is failed',
  ),
  KEEP_COMPLETED_JOBS: setting(
    positiveInt(1000),
    'finished consultations kept in Redis (for Retry and inspection), by count and age',
  ),
  KEEP_COMPLETED_SECONDS: setting(
    positiveInt(24 * 3600),
    'finished consultations kept in Redis (for Retry and inspection), by count and age',
  ),
  KEEP_FAILED_JOBS: setting(positiveInt(1000), 'failed ones kept'),
  KEEP_FAILED_SECONDS: setting(positiveInt(7 * 24 * 3600), 'failed ones kept'),
  ANTHROPIC_STREAM_RETRIES: setting(
    z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(5).default(2)),
    'retries of a Claude answer that broke off mid-stream (the SDK retries only before the answer starts)',
  ),
  ANTHROPIC_IDLE_TIMEOUT_MS: setting(
    positiveInt(60_000),
    'a Claude stream silent this long counts as broken',
  ),
  ALLOWED_CHANNELS: setting(
    idList,
    'comma-separated Slack ids; when set, anyone else gets a polite refusal and nothing is queued',
    'unset: everyone',
  ),
  ALLOWED_USERS: setting(
    idList,
    'comma-separated Slack ids; when set, anyone else gets a polite refusal and nothing is queued',
    'unset: everyone',
  ),
  SETTINGS_ADMINS: setting(
    idList,
    'comma-separated Slack user ids who may change a workspace’s Architect settings (App Home → Settings), besides its Slack admins and owners',
    'unset: Slack’s admins and owners only',
  ),
  ALLOWED_TEAMS: setting(
    idList,
    'comma-separated Slack ids; when set, anyone else gets a polite refusal and nothing is queued. In OAuth mode it is checked at install too: an unlisted workspace (or organisation, `E…`, for an org-wide install) is not installed and its token is revoked',
    'unset: everyone',
  ),
  RATE_LIMIT_PER_USER_PER_HOUR: setting(
    nonNegativeInt(30),
    'consultations one person may ask for in any hour (a sliding window, so no hour boundary doubles it; a Retry counts for whoever clicks it) (`0`: no limit)',
  ),
  DAILY_TOKEN_BUDGET_PER_TEAM: setting(
    nonNegativeInt(5_000_000),
    'Claude tokens (all kinds, failed attempts included) one workspace may spend per UTC day; a request the day’s remainder cannot cover (estimated before Claude is called) is refused (`0`: no limit)',
  ),
  DAILY_TOKEN_BUDGET_TOTAL: setting(
    nonNegativeInt(0),
    'Claude tokens every workspace together may spend per UTC day: the ceiling of a deployment many workspaces install (OAuth mode), so cost does not grow with their number; a request is refused once it is spent (`0`: no limit)',
  ),
  ADMIN_PASSWORD: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .min(12, { message: 'must be at least 12 characters (it guards the queue dashboard)' })
        .optional(),
    ),
    'turns on the queue dashboard (Bull Board) at `/admin/queues`, behind HTTP basic auth with this password and any user name; 12 characters or more. The dashboard is read-only, and an address that sends five wrong passwords in a row must wait (1 s, doubling to 5 min)',
    'unset: dashboard off (404)',
  ),
  ADMIN_PORT: setting(
    z.preprocess(
      emptyAsUndefined,
      z.coerce.number().int().min(0).max(65535, { message: 'must be a port number' }).optional(),
    ),
    'serve the queue dashboard only on this port (of `ADMIN_HOST`), never on `PORT`, which then answers 404 for it; needs `ADMIN_PASSWORD`',
    'unset: dashboard on `PORT`',
  ),
  METRICS_PORT: setting(
    z.preprocess(
      emptyAsUndefined,
      z.coerce.number().int().min(0).max(65535, { message: 'must be a port number' }).optional(),
    ),
    'serve `/readyz` and `/metrics` only on this port (of `METRICS_HOST`), for probes and Prometheus; `PORT` then answers 404 for them and keeps `/healthz`',
    'unset: on `PORT`',
  ),
  METRICS_HOST: setting(
    optionalString,
    'the address `METRICS_PORT` listens on; needs `METRICS_PORT`',
    '`0.0.0.0` (the cluster reaches it; keep it out of the public ingress)',
  ),
  ADMIN_HOST: setting(
    optionalString,
    'the address `ADMIN_PORT` listens on (`0.0.0.0` for every interface); needs `ADMIN_PORT`',
    '`127.0.0.1`',
  ),
  CONTEXT_TOKEN_BUDGET: setting(
    positiveInt(120_000),
    "tokens one request to Claude may use (thread, files, agent prompt, request); over it the thread's root and newest messages stay whole and a note replaces the ones between",
  ),
  FILE_MAX_BYTES: setting(
    positiveInt(10 * 1024 * 1024),
    "largest file read from a thread, in bytes (images are also held to Claude's 5 MB)",
  ),
  FILE_BYTES_IN_MEMORY_MAX: setting(
    positiveInt(100 * 1024 * 1024),
    'file bytes one worker process holds at once, across all its consultations: a file that would go over waits (up to FILE_DOWNLOAD_TIMEOUT_MS), then is skipped with a note. Held files take about 3.7× this in memory (raw, base64, the request body): size the pod limit to ~4× this plus ~250 MB',
  ),
  FILE_TEXT_TOKEN_BUDGET: setting(
    positiveInt(20_000),
    'tokens one text file may use; a longer one is cut with a note',
  ),
  FILE_DOWNLOAD_TIMEOUT_MS: setting(positiveInt(15_000), 'timeout of one file download'),
  PROGRESS_UPDATE_INTERVAL_MS: setting(
    positiveInt(1000),
    'least time between two progress updates of the placeholder',
  ),
  STREAMING_ENABLED: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .enum(['true', 'false', '1', '0'], { message: 'must be "true" or "false"' })
        .default('true')
        .transform((v) => v === 'true' || v === '1'),
    ),
    "stream the summary as Claude writes it with Slack's native streaming (`chat.startStream` / `appendStream` / `stopStream`) in a message below the placeholder; `false`, or any streaming error, shows it in the placeholder through throttled `chat.update` instead",
  ),
  PROMPT_CACHE_TTL: setting(
    z.preprocess(emptyAsUndefined, z.enum(['5m', '1h'], { message: 'must be "5m" or "1h"' }).default('1h')),
    'lifetime of the prompt-cache breakpoints on the agent prompt and the thread: answers to clarifying questions often come 10–60 minutes later, and `1h` lets their follow-ups read the thread from the cache (its writes cost 2× input instead of 1.25×)',
  ),
  GITHUB_TOKEN: setting(
    optionalString,
    'GitHub token for `GITHUB_REPOSITORY`, fine-grained to that repository only with Contents and Pull requests read and write: “Save as ADR” opens a pull request with it, and reviews read the ADRs',
    'unset: ADRs are only uploaded to Slack',
  ),
  GITHUB_REPOSITORY: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: 'must be owner/name, e.g. acme/platform' })
        .optional(),
    ),
    'the repository ADRs are proposed to and read from, `owner/name`; needs `GITHUB_TOKEN`',
    'unset',
  ),
  ADR_PATH: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .default('docs/adr')
        .transform((p) => p.replace(/^\/+|\/+$/g, '')),
    ),
    "the ADR folder in `GITHUB_REPOSITORY` (packages' own ADR folders below it are read too); a saved ADR is named as its ADRs are: numbered after the highest there or in an open Architect ADR pull request (`0007-use-transactional-outbox.md`), or by the day (`2026-01-05-…`)",
  ),
  GITHUB_API_URL: setting(
    url('the GitHub REST API root, e.g. https://github.example.com/api/v3'),
    'GitHub REST API root, for GitHub Enterprise Server',
    "GitHub's own (`https://api.github.com`)",
  ),
  ADR_DIR: setting(
    optionalString,
    "a local folder of ADRs (a checkout of the repository) that reviews read as precedent instead of `GITHUB_REPOSITORY`'s",
    'unset',
  ),
  MCP_TOKEN: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((s) => s.split(',').map((t) => t.trim()))
        .pipe(
          z.array(z.string()).refine((tokens) => tokens.every((t) => /^[A-Za-z0-9._~+/=-]{32,}$/.test(t)), {
            message: 'must be tokens of 32 or more characters (`openssl rand -hex 32`), separated by commas',
          }),
        )
        .optional(),
    ),
    "turns on `POST /mcp` (MCP over Streamable HTTP: the `review_design`, `list_agents` and `search_decisions` tools for remote agents) for requests with `Authorization: Bearer <token>` naming one of these comma-separated tokens (one per client, so each can be revoked alone); others get 401. Reviews run in the process that answers, with the deployment's agents and ADRs, and count against `MCP_TEAM_ID`'s daily budget and, per token, against `RATE_LIMIT_PER_USER_PER_HOUR`",
    'unset: `/mcp` is 404',
  ),
  MCP_TEAM_ID: setting(
    z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Z0-9]+$/, { message: 'must be a Slack team id such as T0123ABCD' })
        .optional(),
    ),
    'the workspace whose daily token budget (`DAILY_TOKEN_BUDGET_PER_TEAM`) MCP reviews count against',
    "single-workspace mode: the bot token's workspace; required with `MCP_TOKEN` in OAuth mode",
  ),
  LOG_LEVEL: setting(
    z.preprocess(
      emptyAsUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    '`fatal` … `trace`, or `silent`',
  ),
});

export type Role = Env['ROLE'];
/** OAuth mode: many workspaces install the app; their installations are kept in PostgreSQL. */
export interface OAuthConfig {
  mode: 'oauth';
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  databaseUrl: string;
  /** INSTALLATION_ENCRYPTION_KEY: the sealing key first, older ones after it. */
  encryptionKeys: string[];
  cacheTtlMs: number;
}
/** Where the bot token of a request comes from: the environment, or the installation of its workspace. */
export type WorkspacesConfig = { mode: 'single'; botToken: string } | OAuthConfig;
type Env = z.infer<typeof EnvSchema>;

/** Everything the bot needs from its environment, validated and with defaults applied. */
export type Config = ReturnType<typeof toConfig>;

/** Parses the environment once. Throws a ConfigError naming every missing or malformed variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`);
  // Checked on the raw values too, so a newcomer's first error names every variable still missing.
  const mode = slackMode(env);
  problems.push(...workspaceModeProblems(env, mode));
  if (mode === 'http' && !present(env.SLACK_SIGNING_SECRET)) {
    problems.push(
      'SLACK_SIGNING_SECRET is required when SLACK_MODE=http (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (mode === 'socket' && !present(env.SLACK_APP_TOKEN)) {
    problems.push('SLACK_APP_TOKEN is required when SLACK_MODE=socket (an app-level token, xapp-…)');
  }
  const adminPort = env.ADMIN_PORT?.trim();
  if (adminPort && !present(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_PORT serves the queue dashboard, which is off without ADMIN_PASSWORD');
  }
  if (present(env.METRICS_HOST) && !env.METRICS_PORT?.trim()) {
    problems.push('METRICS_HOST needs METRICS_PORT (/readyz and /metrics stay on PORT without it)');
  }
  if (present(env.ADMIN_HOST) && !adminPort) {
    problems.push('ADMIN_HOST needs ADMIN_PORT (the dashboard stays on PORT without it)');
  }
  if (present(env.GITHUB_REPOSITORY) && !present(env.GITHUB_TOKEN)) {
    problems.push('GITHUB_REPOSITORY needs GITHUB_TOKEN (a token that can write to that repository)');
  }
  if (present(env.GITHUB_TOKEN) && !present(env.GITHUB_REPOSITORY)) {
    problems.push('GITHUB_TOKEN is set but GITHUB_REPOSITORY (owner/name) is not');
  }
  if (present(env.MCP_TEAM_ID) && !present(env.MCP_TOKEN)) {
    problems.push('MCP_TEAM_ID is set but MCP_TOKEN is not: /mcp is off without a token');
  }
  if (present(env.MCP_TOKEN) && !present(env.MCP_TEAM_ID) && !present(env.SLACK_BOT_TOKEN)) {
    problems.push(
      'MCP_TOKEN in OAuth mode needs MCP_TEAM_ID: the workspace whose daily budget MCP reviews count against',
    );
  }
  const oauth = !present(env.SLACK_BOT_TOKEN) && OAUTH_VARIABLES.some((name) => present(env[name]));
  for (const name of ['GITHUB_REPOSITORY', 'GITHUB_TOKEN', 'ADR_DIR'] as const) {
    // One repository for every workspace would show each one's ADRs to the others, and let any open
    // pull requests in it.
    if (oauth && present(env[name]))
      problems.push(
        `${name} is not used in OAuth mode: in OAuth mode each workspace sets its own ADR repository (App Home → Settings)`,
      );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data, mode);
}

const present = (v: string | undefined) => v !== undefined && v.trim() !== '';

const OAUTH_VARIABLES = [
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'DATABASE_URL',
  'INSTALLATION_ENCRYPTION_KEY',
] as const;

/**
 * One workspace (SLACK_BOT_TOKEN) or many (OAuth, every OAUTH_VARIABLE): exactly one of the two, and
 * the message says what each mode needs.
 */
function workspaceModeProblems(env: NodeJS.ProcessEnv, mode: 'socket' | 'http'): string[] {
  const oauthSet = OAUTH_VARIABLES.filter((name) => present(env[name]));
  const needs = `single-workspace mode needs SLACK_BOT_TOKEN; OAuth mode (many workspaces) needs ${OAUTH_VARIABLES.join(', ')} and SLACK_MODE=http`;
  if (present(env.SLACK_BOT_TOKEN)) {
    return oauthSet.length > 0
      ? [`SLACK_BOT_TOKEN and ${oauthSet.join(', ')} are both set: choose one mode (${needs})`]
      : [];
  }
  if (oauthSet.length === 0) return [`SLACK_BOT_TOKEN is required (${needs})`];
  const missing = OAUTH_VARIABLES.filter((name) => !present(env[name]));
  const problems = missing.length > 0 ? [`${missing.join(', ')} missing for OAuth mode (${needs})`] : [];
  if (mode !== 'http') problems.push(`SLACK_MODE=http is required in OAuth mode (${needs})`);
  return problems;
}

/** Socket Mode when asked for or when an app token is set; HTTP otherwise. */
function slackMode(env: NodeJS.ProcessEnv): 'socket' | 'http' {
  const asked = env.SLACK_MODE?.trim();
  if (asked === 'socket' || asked === 'http') return asked;
  return present(env.SLACK_APP_TOKEN) ? 'socket' : 'http';
}

function toConfig(e: Env, mode: 'socket' | 'http') {
  return {
    slack: {
      workspaces: workspaces(e),
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      mode,
      apiUrl: e.SLACK_API_URL,
      timeoutMs: e.SLACK_TIMEOUT_MS,
      rateLimits: e.SLACK_RATE_LIMITS,
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
      thinking: e.ANTHROPIC_THINKING,
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
    /** ADMIN_PORT: serve the dashboard only on this internal address, not on PORT. */
    adminListener:
      e.ADMIN_PORT !== undefined ? { port: e.ADMIN_PORT, host: e.ADMIN_HOST ?? '127.0.0.1' } : undefined,
    /** METRICS_PORT: /readyz and /metrics only on this address, not on PORT. */
    metricsListener:
      e.METRICS_PORT !== undefined ? { port: e.METRICS_PORT, host: e.METRICS_HOST ?? '0.0.0.0' } : undefined,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    queue: {
      lockDurationMs: e.LOCK_DURATION_MS,
      stalledIntervalMs: e.STALLED_INTERVAL_MS,
      maxStalledCount: e.MAX_STALLED_COUNT,
      keepCompleted: { count: e.KEEP_COMPLETED_JOBS, age: e.KEEP_COMPLETED_SECONDS },
      keepFailed: { count: e.KEEP_FAILED_JOBS, age: e.KEEP_FAILED_SECONDS },
    },
    access: { channels: e.ALLOWED_CHANNELS, users: e.ALLOWED_USERS, teams: e.ALLOWED_TEAMS },
    settingsAdmins: e.SETTINGS_ADMINS,
    costGuard: {
      requestsPerUserPerHour: e.RATE_LIMIT_PER_USER_PER_HOUR,
      dailyTokenBudgetPerTeam: e.DAILY_TOKEN_BUDGET_PER_TEAM,
      dailyTokenBudgetTotal: e.DAILY_TOKEN_BUDGET_TOTAL,
    },
    context: {
      tokenBudget: e.CONTEXT_TOKEN_BUDGET,
      fileMaxBytes: e.FILE_MAX_BYTES,
      fileBytesInMemoryMax: e.FILE_BYTES_IN_MEMORY_MAX,
      fileTextTokenBudget: e.FILE_TEXT_TOKEN_BUDGET,
      fileTimeoutMs: e.FILE_DOWNLOAD_TIMEOUT_MS,
      progressIntervalMs: e.PROGRESS_UPDATE_INTERVAL_MS,
      streaming: e.STREAMING_ENABLED,
      cacheTtl: e.PROMPT_CACHE_TTL,
    },
    adr: adrConfig(e),
    /** POST /mcp: off (undefined) without MCP_TOKEN. */
    mcp: e.MCP_TOKEN ? { tokens: e.MCP_TOKEN, teamId: e.MCP_TEAM_ID } : undefined,
  };
}

/** Where ADRs go (a GitHub repository) and where reviews read them from (that, or a local folder). */
function adrConfig(e: Env) {
  const [owner, repo] = (e.GITHUB_REPOSITORY ?? '').split('/');
  return {
    github:
      e.GITHUB_TOKEN && owner && repo
        ? { token: e.GITHUB_TOKEN, owner, repo, apiUrl: e.GITHUB_API_URL, adrPath: e.ADR_PATH }
        : undefined,
    localDir: e.ADR_DIR,
    /** OAuth mode: the GitHub every workspace's repository is on (an operator's choice, never a workspace's). */
    apiUrl: e.GITHUB_API_URL,
    /** OAuth mode: the ADR folder a workspace's repository starts with. */
    defaultPath: e.ADR_PATH,
  };
}

/** loadConfig has checked that exactly one mode's variables are set. */
function workspaces(e: Env): WorkspacesConfig {
  if (e.SLACK_BOT_TOKEN) return { mode: 'single', botToken: e.SLACK_BOT_TOKEN };
  return {
    mode: 'oauth',
    clientId: e.SLACK_CLIENT_ID ?? '',
    clientSecret: e.SLACK_CLIENT_SECRET ?? '',
    stateSecret: e.SLACK_STATE_SECRET ?? '',
    databaseUrl: e.DATABASE_URL ?? '',
    encryptionKeys: e.INSTALLATION_ENCRYPTION_KEY ?? [],
    cacheTtlMs: e.INSTALLATION_CACHE_TTL_MS,
  };
}
