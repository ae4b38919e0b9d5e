/** Messages between the benchmark (parent) and the processes it measures (children), over Node IPC. */

export interface MemoryReport {
  type: 'memory';
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size over the process's life (getrusage ru_maxrss), bytes. */
  maxRss: number;
  heapUsed: number;
  /** CPU time (user + system) the process has used since it started, ms. */
  cpuMs: number;
}

export interface RawBullmqReport {
  type: 'raw-bullmq';
  jobs: number;
  concurrency: number;
  jobsPerSec: number;
  /** Milliseconds from just before `queue.add` to the processor starting, one job at a time. */
  pickupMs: number[];
}

export type ChildMessage =
  | { type: 'ready'; port: number }
  | MemoryReport
  | RawBullmqReport
  | { type: 'failed'; error: string };

export type ParentMessage =
  | { type: 'memory' }
  | { type: 'stop' }
  | { type: 'run-raw-bullmq'; jobs: number; concurrency: number; pickupSamples: number };

/** The child's memory, as the parent asks for it. */
export function memoryReport(): MemoryReport {
  const usage = process.memoryUsage();
  const cpu = process.cpuUsage();
  // ru_maxrss is in kilobytes on Linux and macOS alike (Node normalises it).
  return {
    type: 'memory',
    rss: usage.rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: usage.heapUsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/** Sends to the parent; resolves once the message is handed to the channel, so exiting after it is safe. */
export function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

/** Answers the parent's memory and stop requests; `stop` runs the process's own shutdown first. */
export function serveParent(stop: () => Promise<void>, onOther?: (message: ParentMessage) => void): void {
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') void send(memoryReport());
    else if (message.type === 'stop') {
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    } else onOther?.(message);
  });
  // An orphaned child (parent killed) must not keep running against the shared Redis.
  process.on('disconnect', () => process.exit(0));
}

export function failAndExit(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${text}\n`);
  void send({ type: 'failed', error: text }).finally(() => process.exit(1));
}
