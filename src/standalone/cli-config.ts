import path from 'node:path';
import type { z } from 'zod';
import type { ModelSettings } from '../agents/agent';
import { EnvSchema } from '../config/config';
import { CliError } from './cli-error';

/**
 * The command line's settings: the bot's own variables, declared once in its schema, of which only
 * ANTHROPIC_API_KEY is required. Nothing of Slack or Redis is read, so neither has to be set.
 */
const CliEnvSchema = EnvSchema.pick({
  ANTHROPIC_API_KEY: true,
  ANTHROPIC_BASE_URL: true,
  ANTHROPIC_MODEL: true,
  ANTHROPIC_MAX_RETRIES: true,
  ANTHROPIC_TIMEOUT_MS: true,
  ANTHROPIC_MAX_TOKENS: true,
  ANTHROPIC_STREAM_RETRIES: true,
  ANTHROPIC_IDLE_TIMEOUT_MS: true,
  MODEL_ALIAS_SONNET: true,
  MODEL_ALIAS_OPUS: true,
  MODEL_ALIAS_HAIKU: true,
  MODEL_ALIAS_FABLE: true,
  DEFAULT_AGENT: true,
  CONTEXT_TOKEN_BUDGET: true,
  FILE_MAX_BYTES: true,
  FILE_TEXT_TOKEN_BUDGET: true,
  ADR_DIR: true,
});

/** The agents that come with Architect, beside `src/` in a clone and beside `dist/` in a build. */
export const BUNDLED_AGENTS_DIR = path.resolve(__dirname, '..', '..', 'agents');

export type CliConfig = ReturnType<typeof toCliConfig>;

/** The model settings agent files resolve against, without the API key (listing agents needs none). */
export function modelSettingsOf(env: NodeJS.ProcessEnv): ModelSettings {
  const e = parse(CliEnvSchema.omit({ ANTHROPIC_API_KEY: true }), env);
  return {
    defaultModel: e.ANTHROPIC_MODEL,
    aliases: {
      sonnet: e.MODEL_ALIAS_SONNET,
      opus: e.MODEL_ALIAS_OPUS,
      haiku: e.MODEL_ALIAS_HAIKU,
      fable: e.MODEL_ALIAS_FABLE,
    },
  };
}

/** AGENTS_DIR (relative to `cwd`) when set, else the agents Architect ships with. */
export function agentsDirOf(env: NodeJS.ProcessEnv, cwd: string): string {
  const dir = env.AGENTS_DIR?.trim();
  return dir ? path.resolve(cwd, dir) : BUNDLED_AGENTS_DIR;
}

/** Parses the environment; a missing key or a malformed value is a CliError naming each variable. */
export function loadCliConfig(env: NodeJS.ProcessEnv, cwd: string) {
  return toCliConfig(parse(CliEnvSchema, env), env, cwd);
}

function toCliConfig(e: z.infer<typeof CliEnvSchema>, env: NodeJS.ProcessEnv, cwd: string) {
  return {
    anthropic: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      maxRetries: e.ANTHROPIC_MAX_RETRIES,
      timeoutMs: e.ANTHROPIC_TIMEOUT_MS,
      maxTokens: e.ANTHROPIC_MAX_TOKENS,
      streamRetries: e.ANTHROPIC_STREAM_RETRIES,
      idleTimeoutMs: e.ANTHROPIC_IDLE_TIMEOUT_MS,
    },
    models: modelSettingsOf(env),
    agentsDir: agentsDirOf(env, cwd),
    defaultAgent: e.DEFAULT_AGENT,
    context: {
      tokenBudget: e.CONTEXT_TOKEN_BUDGET,
      files: { maxBytes: e.FILE_MAX_BYTES, textTokenBudget: e.FILE_TEXT_TOKEN_BUDGET },
    },
    /** The team's ADR folder as ADR_DIR names it (relative to `cwd`); `--adrs` overrides it. */
    adrDir: e.ADR_DIR,
  };
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  throw new CliError(problems.join('; '));
}
