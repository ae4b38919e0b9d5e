import type { Agent, ModelSettings } from '../agents/agent';
import { AgentRegistry, requireAgent } from '../agents/agent-registry';
import { ErrorCode, isCodedError } from '../errors';
import { createLogger } from '../logger';
import { CliError } from './cli-error';

/** The agents folder, loaded as the bot and `agents:check` load it; an unreadable folder is a CliError. */
export async function loadAgents(dir: string, models: ModelSettings): Promise<AgentRegistry> {
  try {
    // The registry's log lines would interleave with the command's own output.
    return await AgentRegistry.load(dir, models, createLogger({ level: 'silent', pretty: false }));
  } catch (error) {
    if (isCodedError(error, ErrorCode.AgentsDirUnreadable))
      throw new CliError(error.message, { cause: error });
    throw error;
  }
}

/**
 * The agent asked for with `--agent` (or DEFAULT_AGENT), or a CliError saying what loaded instead;
 * `askedBy` names the option in that message (an MCP tool's argument is `agent`).
 */
export function chooseAgent(
  registry: AgentRegistry,
  asked: string | undefined,
  fallback: string,
  askedBy = '--agent',
): Agent {
  try {
    return asked === undefined ? requireAgent(registry, fallback) : requireAgent(registry, asked, askedBy);
  } catch (error) {
    if (isCodedError(error, ErrorCode.DefaultAgentMissing))
      throw new CliError(error.message, { cause: error });
    throw error;
  }
}
