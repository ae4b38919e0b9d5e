import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { childScript } from './build';
import type { ChildMessage, MemoryReport, ParentMessage, RawBullmqReport } from './processes/ipc';

type Script = Parameters<typeof childScript>[0];

/** A measured process: the app, the bare Bolt floor or the raw BullMQ floor, each in its own Node process. */
export class MeasuredProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    readonly port: number,
    private readonly stderr: { tail: string },
  ) {}

  static async start(
    script: Script,
    env: Record<string, string>,
    name: string = script,
  ): Promise<MeasuredProcess> {
    const child = fork(childScript(script), [], {
      env: { ...process.env, NODE_ENV: 'production', ...env },
      // stdout carries the app's JSON logs, as in production; nobody reads them here.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: cpuProfArgs(name),
    });
    const stderr = { tail: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.tail = (stderr.tail + chunk.toString('utf8')).slice(-4000);
    });
    const ready = await firstMessage(
      child,
      name,
      (m) => m.type === 'ready',
      30_000,
      () => stderr.tail,
    );
    return new MeasuredProcess(child, name, ready.type === 'ready' ? ready.port : 0, stderr);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  memory(): Promise<MemoryReport> {
    return this.request({ type: 'memory' }, (m): m is MemoryReport => m.type === 'memory');
  }

  runRawBullmq(jobs: number, concurrency: number, pickupSamples: number): Promise<RawBullmqReport> {
    return this.request(
      { type: 'run-raw-bullmq', jobs, concurrency, pickupSamples },
      (m): m is RawBullmqReport => m.type === 'raw-bullmq',
      180_000,
    );
  }

  /** Asks the process to shut down cleanly; kills it if it has not exited within 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  private request<T extends ChildMessage>(
    message: ParentMessage,
    isReply: (m: ChildMessage) => m is T,
    timeoutMs = 10_000,
  ): Promise<T> {
    const reply = firstMessage(this.child, this.name, isReply, timeoutMs, () => this.stderr.tail);
    this.child.send(message);
    return reply as Promise<T>;
  }
}

/**
 * Resolves with the child's first message that matches; rejects if the child reports a failure,
 * exits, or stays silent too long, quoting its stderr so a broken start-up says why.
 */
function firstMessage(
  child: ChildProcess,
  name: string,
  matches: (m: ChildMessage) => boolean,
  timeoutMs = 30_000,
  stderr: () => string = () => '',
): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: ChildMessage) => {
      if (m.type === 'failed') {
        cleanup();
        reject(new Error(`${name} failed: ${m.error}`));
      } else if (matches(m)) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${name} exited (code ${code}) before answering. stderr:\n${stderr()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${name} did not answer within ${timeoutMs} ms. stderr:\n${stderr()}`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** BENCH_CPU_PROF=dir writes a V8 CPU profile of every measured process there, to find what bounds a figure. */
function cpuProfArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir
    ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : [];
}
