#!/usr/bin/env node
/**
 * `architect`: the bot's consultation in a terminal or CI, without Slack or Redis. See `architect --help`.
 * Every failure a person can act on ends as one line on stderr and exit code 1; a `--fail-on` gate that
 * trips exits 2.
 */
import { errorMessage } from '../lib/error-message';
import { CliError, oneLineReason } from '../standalone/cli-error';
import { packageVersion } from '../standalone/package-version';
import { runAgents } from './agents-command';
import { runAdrs } from './check-adrs';
import type { CliIO } from './cli-io';
import type * as McpCommand from './mcp-command';
import { runPrReview } from './pr-review';
import { runReview } from './review-command';

export const USAGE = `Usage:
  architect review <file|-> [--agent NAME] [--format markdown|json] [--model ID] [--fail-on blocker|major]
                            [--adrs DIR | --no-adrs]
  architect agents
  architect adrs [DIR]
  architect mcp [--adrs DIR | --no-adrs]
  architect pr-review [--paths PATTERNS] [--agent NAME] [--model ID] [--fail-on blocker|major] [--max-files N]
                      [--adrs DIR | --no-adrs]

review     Reviews a design document (Markdown or text; a PDF or an image as Claude sees it in Slack),
           or standard input with -, and prints the review: Markdown, or the review object with --format json.
agents     Lists the agents review can use (AGENTS_DIR, or the agents Architect ships with).
adrs       Reads the ADR folder (DIR, else ADR_DIR, else docs/adr) as reviews read it and prints one line per
           file: ok ID TITLE (STATUS), or skipped FILE: REASON. Exits 1 when an ADR could not be read.
mcp        Serves MCP over standard input and output for Claude Code, IDEs and other agents
           (claude mcp add architect -- npx architect mcp): the tools review_design, list_agents and
           search_decisions, with the settings and ADRs review would use here.
pr-review  In a GitHub Actions pull_request job: reviews the pull request's changed files that match
           PATTERNS (default: docs/adr/**, docs/design/**, *.design.md) and posts or updates one comment.

--adrs DIR, --no-adrs
           review and pr-review give Claude the team's ADRs as precedent, as Slack reviews do: those in DIR,
           else in ADR_DIR, else in docs/adr when there is one; --no-adrs leaves them out. A document under
           review is not precedent for itself, nor, in pr-review, is any ADR the pull request changes.

Settings: ANTHROPIC_API_KEY (required), ANTHROPIC_BASE_URL, ANTHROPIC_MODEL, AGENTS_DIR, ADR_DIR; pr-review
also GITHUB_TOKEN and GITHUB_REPOSITORY, as GitHub Actions sets them.
Exit codes: 0 reviewed, 1 failed (the reason is on stderr), 2 a finding at or above --fail-on.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'review':
        return await runReview(rest, io);
      case 'agents':
        return await runAgents(rest, io);
      case 'adrs':
        return await runAdrs(rest, io);
      case 'pr-review':
        return await runPrReview(rest, io);
      case 'mcp':
        // Loaded only here: the MCP SDK would add its start-up time to every other command.
        return await (require('./mcp-command') as typeof McpCommand).runMcp(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 1 : 0;
      default:
        throw new CliError(`unknown command "${command}"; see architect --help`);
    }
  } catch (error) {
    io.stderr.write(`architect: ${oneLineReason(error)}\n`);
    return 1;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Run through `npm run architect`, npm starts in the package's folder; paths are the caller's. */
function callerCwd(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'architect' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

if (require.main === module) {
  const io: CliIO = {
    env: process.env,
    cwd: callerCwd(process.env),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      // exitCode rather than exit(): stdout drains first when it is a pipe.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`architect: ${oneLine(errorMessage(error))}\n`);
      process.exitCode = 1;
    },
  );
}
