import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createArchitectMcpServer } from '../mcp/architect-mcp-server';
import type { McpTeamAdrs } from '../mcp/team-adrs';
import { loadCliConfig } from '../standalone/cli-config';
import { CliError } from '../standalone/cli-error';
import { createConsultant } from '../standalone/consultant';
import { loadAgents } from '../standalone/load-agents';
import { packageVersion } from '../standalone/package-version';
import { readDesign } from '../standalone/read-input';
import { chooseAdrFolder, LocalTeamDecisions } from '../standalone/team-adrs';
import type { CliIO } from './cli-io';
import { parseCommandArgs, REVIEW_OPTIONS } from './cli-options';

/**
 * `architect mcp [--adrs DIR | --no-adrs]`: Architect's tools over MCP's stdio transport, for a client
 * that starts it (`claude mcp add architect -- npx architect mcp`). The settings are `architect review`'s
 * (only ANTHROPIC_API_KEY is required), read once at start; a bad one stops it with the CLI's one line.
 * Standard output is the protocol's; the one line saying it is ready goes to standard error.
 */
export async function runMcp(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { adrs: REVIEW_OPTIONS.adrs, 'no-adrs': REVIEW_OPTIONS['no-adrs'] },
    allowPositionals: false,
    strict: true,
  });
  const config = loadCliConfig(io.env, io.cwd);
  const agents = await loadAgents(config.agentsDir, config.models);
  if (agents.list().length === 0) throw new CliError(`no agents loaded from ${config.agentsDir}`);
  const adrFolder = await chooseAdrFolder(values, config.adrDir, io.cwd);
  const consultant = createConsultant(config.anthropic);
  const server = createArchitectMcpServer({
    version: packageVersion(),
    agents,
    defaultAgent: config.defaultAgent,
    context: config.context,
    adrs: adrFolder ? folderAdrs(new LocalTeamDecisions(adrFolder, io.cwd, [])) : undefined,
    noAdrsReason: values['no-adrs']
      ? 'the server was started with --no-adrs'
      : 'no ADRs here: start the server with --adrs DIR or ADR_DIR, or where docs/adr is',
    admitReview: async () => consultant,
    readFile: (file) => {
      if (file.trim() === '-') throw new CliError('files: "-" is not a file');
      return readDesign(file, { cwd: io.cwd, maxBytes: config.context.files.maxBytes, stdin: io.stdin });
    },
    scope: `Uses the agents and ADRs of ${io.cwd} (architect mcp).`,
  });
  const transport = new StdioServerTransport(io.stdin as Readable, io.stdout as Writable);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  // The client ends the session by closing standard input; a review still running is cancelled.
  const stop = () => void server.close();
  io.stdin.once('end', stop);
  io.stdin.once('close', stop);
  await server.connect(transport);
  const count = agents.list().length;
  io.stderr.write(
    `architect mcp: ${count} agent${count === 1 ? '' : 's'}, ADRs ${adrFolder ? `from ${adrFolder}` : 'off'}; serving MCP on standard input and output\n`,
  );
  await closed;
  return 0;
}

function folderAdrs(folder: LocalTeamDecisions): McpTeamAdrs {
  return { label: folder.label, precedent: folder.forDesign(undefined), read: () => folder.read() };
}
