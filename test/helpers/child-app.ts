import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './architect-harness';

/**
 * The app as a real process (`tsx src/main.ts`), for faults that need one: SIGKILL, SIGTERM.
 * Its JSON log lines are collected so a test can wait for what the process says.
 */
export class ChildApp {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<number | null>;
  private buffer = '';

  private constructor(readonly proc: ChildProcess) {
    proc.stdout?.on('data', (chunk: Buffer) => this.collect(chunk));
    proc.stderr?.on('data', (chunk: Buffer) => this.collect(chunk));
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  static spawn(env: Record<string, string>): ChildApp {
    // `node --import tsx`, not the tsx wrapper: a signal must reach the app's own process.
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ChildApp(proc);
  }

  private collect(chunk: Buffer): void {
    this.buffer += chunk.toString('utf8');
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ msg: line });
      }
    }
  }

  /** Resolves with the first log line whose message matches, waiting up to `timeoutMs`. */
  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find((l) => pattern.test(String(l.msg)));
      if (line) return line;
      if (this.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no log line matching ${pattern}; saw: ${this.lines.map((l) => l.msg).join(' | ')}`);
  }

  kill(signal: NodeJS.Signals): void {
    this.proc.kill(signal);
  }

  /** Makes sure the process is gone (a test that failed half-way must not leave it running). */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    await this.exited;
  }
}
