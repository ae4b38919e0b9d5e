/**
 * `npm run agents:check -- [DIR]`: loads the agents folder the way the bot will and prints what loaded
 * and what was skipped. Needs no Slack or Claude credentials, so it can run before a deploy.
 */
import path from 'node:path';
import type { ModelSettings } from '../agents/agent';
import { AgentRegistry, requireAgent } from '../agents/agent-registry';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from '../config/config';
import { ErrorCode, isCodedError } from '../errors';
import { createLogger } from '../logger';

const setting = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined;

/** The model settings the bot would use, from the same variables, without requiring the rest of its config. */
export function modelSettingsFromEnv(env: NodeJS.ProcessEnv): ModelSettings {
  return {
    defaultModel: setting(env.ANTHROPIC_MODEL) ?? DEFAULT_MODEL,
    aliases: {
      sonnet: setting(env.MODEL_ALIAS_SONNET) ?? DEFAULT_MODEL_ALIASES.sonnet,
      opus: setting(env.MODEL_ALIAS_OPUS) ?? DEFAULT_MODEL_ALIASES.opus,
      haiku: setting(env.MODEL_ALIAS_HAIKU) ?? DEFAULT_MODEL_ALIASES.haiku,
      fable: setting(env.MODEL_ALIAS_FABLE) ?? DEFAULT_MODEL_ALIASES.fable,
    },
  };
}

/** Checks one agents folder and returns the process exit code: 1 when anything was skipped or missing. */
export async function checkAgents(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  const dir = argv[0] ?? setting(env.AGENTS_DIR) ?? 'agents';
  let registry: AgentRegistry;
  try {
    // The registry's own log lines would repeat what this command prints.
    registry = await AgentRegistry.load(
      dir,
      modelSettingsFromEnv(env),
      createLogger({ level: 'silent', pretty: false }),
    );
  } catch (error) {
    if (!isCodedError(error, ErrorCode.AgentsDirUnreadable)) throw error;
    io.err.write(`${error.message}\n`);
    return 1;
  }
  for (const line of reportLines(registry, dir)) io.out.write(`${line}\n`);
  const defaultAgentProblem = checkDefaultAgent(registry, setting(env.DEFAULT_AGENT));
  if (defaultAgentProblem) io.out.write(`${defaultAgentProblem}\n`);
  const loaded = registry.list().length;
  return registry.skipped.length > 0 || loaded === 0 || defaultAgentProblem ? 1 : 0;
}

// A warning line follows its file's ok line (the sort is stable). Warnings leave the exit code at 0: the
// bot loads those files too.
function reportLines(registry: AgentRegistry, dir: string): string[] {
  const rows = [
    ...registry.list().map((a) => ({ file: a.file, line: `ok ${a.name} (${a.model})` })),
    ...registry.warnings.map((w) => ({ file: w.file, line: `warning ${shown(dir, w.file)}: ${w.message}` })),
    ...registry.skipped.map((s) => ({ file: s.file, line: `skipped ${shown(dir, s.file)}: ${s.reason}` })),
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const loaded = registry.list().length;
  const warned = registry.warnings.length;
  const count =
    `${loaded} ${loaded === 1 ? 'agent' : 'agents'} ok, ${registry.skipped.length} skipped` +
    (warned > 0 ? `, ${warned} ${warned === 1 ? 'warning' : 'warnings'}` : '');
  const empty = loaded === 0 && registry.skipped.length === 0 ? [`no *.md agent files in ${dir}`] : [];
  return [...rows.map((r) => r.line), ...empty, count];
}

/** The file as the user would find it: under the folder they named. */
function shown(dir: string, file: string): string {
  return path.join(dir, path.basename(file));
}

// Only when DEFAULT_AGENT is set: a folder checked on its own (e.g. a fixture) need not hold the default agent.
function checkDefaultAgent(registry: AgentRegistry, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  try {
    requireAgent(registry, name);
    return undefined;
  } catch (error) {
    if (isCodedError(error, ErrorCode.DefaultAgentMissing)) return error.message;
    throw error;
  }
}

if (require.main === module) {
  checkAgents(process.argv.slice(2), process.env, { out: process.stdout, err: process.stderr }).then(
    (code) => {
      // exitCode rather than exit(): lets stdout drain when it is a pipe.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`agents:check failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
