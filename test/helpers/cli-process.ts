import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main';
import { AnthropicFake } from '../fakes/anthropic-fake';

export const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/cli/main.ts');
/** tsx by its file, not its name: Node would look for the name from `cwd`, which may be outside the repository. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** How to start `architect ARGS` from source: what a client that spawns it (an MCP client) is given. */
export function cliCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', TSX, CLI, ...args] };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `architect ARGS` as a real process, with only the environment given (plus PATH and HOME): no Slack,
 * Redis or Anthropic variable leaks in from the test's own. Asynchronous, so a loopback fake in this
 * process can answer it.
 */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string | Buffer; cwd?: string } = {},
): Promise<CliRun> {
  const cli = cliCommand(args);
  const proc = spawn(cli.command, cli.args, {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  proc.stdin.end(opts.stdin ?? '');
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The loopback Anthropic API for a suite of CLI runs, and the environment that points the CLI at it
 * (no retries: a scripted failure is the answer, not something to wait out). Reset before each test.
 */
export function claudeForCli(): { claude: () => AnthropicFake; env: () => Record<string, string> } {
  let claude: AnthropicFake | undefined;
  beforeAll(async () => {
    claude = await AnthropicFake.start();
  });
  afterAll(() => claude?.close());
  beforeEach(() => claude?.reset());
  const started = (): AnthropicFake => {
    if (!claude) throw new Error('the Anthropic fake starts in beforeAll');
    return claude;
  };
  return {
    claude: started,
    env: () => ({
      ANTHROPIC_API_KEY: started().apiKey,
      ANTHROPIC_BASE_URL: started().baseURL,
      ANTHROPIC_MAX_RETRIES: '0',
    }),
  };
}

/** `architect ARGS` in this process, through the same entry as the binary, for runs that need no process of their own. */
export async function runCliInProcess(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  err.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const io = {
    env: opts.env ?? {},
    cwd: opts.cwd ?? ROOT,
    stdin: new PassThrough(),
    stdout: out,
    stderr: err,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
