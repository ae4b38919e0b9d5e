import path from 'node:path';
import { agentsDirOf, modelSettingsOf } from '../standalone/cli-config';
import { CliError } from '../standalone/cli-error';
import { loadAgents } from '../standalone/load-agents';
import type { CliIO } from './cli-io';
import { parseCommandArgs } from './cli-options';

/** How much of an agent's description its line shows. */
const DESCRIPTION_CHARS = 100;

/**
 * `architect agents`: the agents `review` would choose from, one line each (name, model, description),
 * loaded as the bot and `agents:check` load them. Files that would be skipped are named on stderr.
 */
export async function runAgents(args: string[], io: CliIO): Promise<number> {
  parseCommandArgs({ args, options: {}, allowPositionals: false, strict: true });
  const dir = agentsDirOf(io.env, io.cwd);
  const registry = await loadAgents(dir, modelSettingsOf(io.env));
  for (const skipped of registry.skipped) {
    io.stderr.write(`skipped ${path.basename(skipped.file)}: ${skipped.reason}\n`);
  }
  const agents = registry.list();
  if (agents.length === 0) throw new CliError(`no agents loaded from ${dir}`);
  const width = Math.max(...agents.map((a) => a.name.length));
  for (const agent of agents) {
    io.stdout.write(`${agent.name.padEnd(width)}  ${agent.model}  ${summary(agent.description)}\n`);
  }
  return 0;
}

function summary(description: string): string {
  const line = description.replace(/\s+/g, ' ').trim();
  return line.length > DESCRIPTION_CHARS ? `${line.slice(0, DESCRIPTION_CHARS - 1)}…` : line;
}
