import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { failAndExit, send, serveParent } from './ipc';

/**
 * The queue floor: plain BullMQ add + a no-op processor on the same Redis, with the job options
 * Architect's queue uses, so the app's consultations/s can be read against what the queue alone allows.
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.QUEUE_PREFIX ?? 'architect-bench-raw';
const jobOptions = {
  attempts: 3,
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

interface RunRequest {
  jobs: number;
  concurrency: number;
  pickupSamples: number;
}

async function run(request: RunRequest): Promise<void> {
  const queue = new Queue('raw', { connection: { url: redisUrl }, prefix, defaultJobOptions: jobOptions });
  const pickupMs = await measurePickup(queue, request.pickupSamples);
  const jobsPerSec = await measureThroughput(queue, request.jobs, request.concurrency);
  await queue.close();
  await send({
    type: 'raw-bullmq',
    jobs: request.jobs,
    concurrency: request.concurrency,
    jobsPerSec,
    pickupMs,
  });
}

/** One job at a time: how long from `add` to the processor starting (the queue hop a request pays). */
async function measurePickup(queue: Queue, samples: number): Promise<number[]> {
  let started: (() => void) | undefined;
  const worker = new Worker(
    'raw',
    async () => {
      started?.();
    },
    { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const picked = new Promise<void>((resolve) => {
      started = resolve;
    });
    const t0 = performance.now();
    await queue.add('pickup', { i });
    await picked;
    out.push(performance.now() - t0);
  }
  await worker.close();
  return out;
}

/** Adds `jobs` no-op jobs with 50 adds in flight while a worker at `concurrency` drains them. */
async function measureThroughput(queue: Queue, jobs: number, concurrency: number): Promise<number> {
  let done = 0;
  let finish: (() => void) | undefined;
  const allDone = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const worker = new Worker('raw', async () => undefined, {
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    prefix,
    concurrency,
  });
  worker.on('completed', () => {
    done++;
    if (done === jobs) finish?.();
  });
  await worker.waitUntilReady();
  const t0 = performance.now();
  let next = 0;
  const producer = async () => {
    while (next < jobs) {
      next++;
      await queue.add('noop', { n: next });
    }
  };
  await Promise.all(Array.from({ length: 50 }, producer));
  await allDone;
  const seconds = (performance.now() - t0) / 1000;
  await worker.close();
  return jobs / seconds;
}

serveParent(
  async () => undefined,
  (message) => {
    if (message.type === 'run-raw-bullmq') run(message).catch(failAndExit);
  },
);
void send({ type: 'ready', port: 0 });
