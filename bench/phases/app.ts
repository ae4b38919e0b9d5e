import { Queue } from 'bullmq';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import { TEST_REDIS_URL } from '../../test/helpers/redis-keys';
import type { BenchContext } from '../context';
import { FLOOR_CONCURRENCY, THROUGHPUT_CONCURRENCIES } from '../sizes';
import { type Percentiles, percentiles, round } from '../stats';
import { type AckProfile, measureAcks } from './ack';
import {
  finishRun,
  runThroughput,
  type SentMentions,
  sendMentions,
  type ThroughputRun,
  timeConsultations,
} from './consultations';
import { mb } from './floors';

export interface Responsiveness {
  ack: AckProfile;
  modelLatencyMs: number;
  placeholderMs: Percentiles;
  overheadMs: Percentiles;
  failures: number;
}

/**
 * One app process as deployed by default (ROLE=all, WORKER_CONCURRENCY 25): first consultations timed
 * with a free worker, then its acks under load while its worker keeps working through what they queue.
 */
export async function measureResponsiveness(ctx: BenchContext): Promise<Responsiveness> {
  const modelMs = ctx.size.latencyModelMs;
  const tracker = ctx.freshPhase(modelMs);
  ctx.log(`app (ROLE=all): request → placeholder and overhead, model ${modelMs} ms`);
  const app = await ctx.start('app-process', ctx.appEnv(ctx.prefix('all'), { ROLE: 'all' }), 'app-all');
  try {
    const lanes = ctx.size.latencyInFlight;
    await timeConsultations(ctx, tracker, app.port, { count: lanes * 2, lanes, modelMs, threadMessages: 10 });
    const timed = await timeConsultations(ctx, tracker, app.port, {
      count: ctx.size.latencyConsultations,
      lanes,
      modelMs,
      threadMessages: 10,
    });
    ctx.claude.setDefaultLatency(ctx.size.slowModelMs);
    ctx.log(`app (ROLE=all): acks, model ${ctx.size.slowModelMs} ms behind them`);
    const ack = await measureAcks(ctx, app.port);
    return {
      ack,
      modelLatencyMs: modelMs,
      placeholderMs: percentiles(timed.placeholderMs),
      overheadMs: percentiles(timed.overheadMs),
      failures: timed.failures,
    };
  } finally {
    await ctx.stop(app);
  }
}

export interface WorkerThroughput extends ThroughputRun {
  workerConcurrency: number;
  modelLatencyMs: number;
  /** concurrency / model latency; null for a zero-latency model. */
  idealPerSec: number | null;
  /** The worker process's CPU time per consultation, ms: what bounds it once the model is fast. */
  workerCpuMsPerConsultation: number;
  /** The worker's CPU time over the run's wall time: 1.0 means one core fully busy. */
  workerCpuShare: number;
}

/**
 * One worker process (ROLE=worker) fed by a separate ingress process (ROLE=web), so the figure is the
 * worker's: at each WORKER_CONCURRENCY with the slow model, then with a zero-latency model.
 */
export async function measureThroughput(
  ctx: BenchContext,
): Promise<{ slowModel: WorkerThroughput[]; zeroLatency: WorkerThroughput }> {
  const prefix = ctx.prefix('tp');
  const web = await ctx.start('app-process', ctx.appEnv(prefix, { ROLE: 'web' }), 'app-web');
  try {
    const slowModel: WorkerThroughput[] = [];
    for (const concurrency of THROUGHPUT_CONCURRENCIES) {
      const count = ctx.size.throughputRounds * concurrency;
      slowModel.push(await workerRun(ctx, prefix, web.port, concurrency, ctx.size.slowModelMs, count));
    }
    const zeroLatency = await workerRun(
      ctx,
      prefix,
      web.port,
      FLOOR_CONCURRENCY,
      0,
      ctx.size.zeroLatencyConsultations,
    );
    return { slowModel, zeroLatency };
  } finally {
    await ctx.stop(web);
  }
}

/**
 * One worker process at `concurrency`. With a slow model the backlog is queued first and the worker
 * started after, so the figure is the worker's alone (first placeholder to last review) rather than
 * the ingress's ramp-up; with a zero-latency model it is end to end, as raw BullMQ's add + process is.
 */
async function workerRun(
  ctx: BenchContext,
  prefix: string,
  webPort: number,
  concurrency: number,
  modelMs: number,
  count: number,
): Promise<WorkerThroughput> {
  const tracker = ctx.freshPhase(modelMs);
  const backlogFirst = modelMs > 0;
  ctx.log(
    `worker (ROLE=worker): ${count} consultations, WORKER_CONCURRENCY ${concurrency}, model ${modelMs} ms` +
      (backlogFirst ? ', backlog queued before the worker starts' : ', end to end'),
  );
  const sent = backlogFirst ? await queueBacklog(ctx, prefix, webPort, count) : undefined;
  const env = ctx.appEnv(prefix, { ROLE: 'worker', WORKER_CONCURRENCY: String(concurrency) });
  const worker = await ctx.start('app-process', env, `app-worker-${concurrency}`);
  try {
    const before = await worker.memory();
    const run = sent
      ? await finishRun(tracker, sent.channels, (t) =>
          Math.min(...sent.channels.map((c) => t.of(c).placeholderAt ?? Number.NaN)),
        )
      : await runThroughput(ctx, tracker, webPort, count);
    const cpuMs = (await worker.memory()).cpuMs - before.cpuMs;
    const idealPerSec = modelMs > 0 ? round((concurrency * 1000) / modelMs) : null;
    return {
      ...run,
      workerConcurrency: concurrency,
      modelLatencyMs: modelMs,
      idealPerSec,
      workerCpuMsPerConsultation: round(cpuMs / count),
      workerCpuShare: round(cpuMs / (run.seconds * 1000)),
    };
  } finally {
    await ctx.stop(worker);
  }
}

/** Sends the mentions through the web process and waits until BullMQ holds every job as waiting. */
async function queueBacklog(
  ctx: BenchContext,
  prefix: string,
  webPort: number,
  count: number,
): Promise<SentMentions> {
  const sent = await sendMentions(ctx, webPort, count, 5);
  // Events are acknowledged before they are queued, so the acks alone do not say the backlog is complete.
  const queue = new Queue(CONSULTATION_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix });
  try {
    const deadline = Date.now() + 30_000;
    while ((await queue.getWaitingCount()) < count) {
      if (Date.now() > deadline)
        throw new Error(`the backlog of ${count} consultations was not queued in 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await queue.close();
  }
  return sent;
}

export interface MemoryUse {
  consultations: number;
  threadMessages: number;
  /** The most Claude requests the fake held at once: shows the consultations really overlapped. */
  peakInFlightObserved: number;
  idleRssMb: number;
  peakRssMb: number;
  failures: number;
}

/** Peak RSS of one ROLE=all process with WORKER_CONCURRENCY = consultations, all in flight at once. */
export async function measureMemory(ctx: BenchContext): Promise<MemoryUse> {
  const modelMs = ctx.size.slowModelMs;
  const tracker = ctx.freshPhase(modelMs);
  const n = ctx.size.memoryConsultations;
  ctx.log(`app (ROLE=all): peak RSS, ${n} in flight, ${ctx.size.memoryThreadMessages}-message threads`);
  const env = ctx.appEnv(ctx.prefix('rss'), { ROLE: 'all', WORKER_CONCURRENCY: String(n) });
  const app = await ctx.start('app-process', env, 'app-rss');
  try {
    const idle = await app.memory();
    const run = await runThroughput(ctx, tracker, app.port, n, ctx.size.memoryThreadMessages);
    const peak = await app.memory();
    return {
      consultations: n,
      threadMessages: ctx.size.memoryThreadMessages,
      peakInFlightObserved: peakOverlap(
        ctx.claude.requests.map((r) => r.at),
        modelMs,
      ),
      idleRssMb: mb(idle.rss),
      peakRssMb: mb(peak.maxRss),
      failures: run.failures,
    };
  } finally {
    await ctx.stop(app);
  }
}

/** The most requests whose `[at, at + durationMs)` windows overlap at any arrival. */
function peakOverlap(arrivals: number[], durationMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[start] ?? 0) <= (sorted[i] ?? 0) - durationMs) start++;
    peak = Math.max(peak, i - start + 1);
  }
  return peak;
}
