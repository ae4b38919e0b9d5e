import { TEST_REDIS_URL } from '../../test/helpers/redis-keys';
import type { BenchContext } from '../context';
import { FLOOR_CONCURRENCY } from '../sizes';
import { type Percentiles, percentiles, round } from '../stats';
import { type AckProfile, measureAcks } from './ack';

export interface Floors {
  bareBoltAck: AckProfile;
  /** Peak RSS of the bare Bolt process after its ack runs, MB. */
  bareBoltPeakRssMb: number;
  rawBullmq: {
    jobs: number;
    concurrency: number;
    jobsPerSec: number;
    /** `add` → processor start, one job at a time, ms: the queue hop every request pays. */
    pickupMs: Percentiles;
  };
}

/** The floors, measured in the same run on the same machine: what Bolt and BullMQ cost on their own. */
export async function measureFloors(ctx: BenchContext): Promise<Floors> {
  ctx.freshPhase(0);
  ctx.log('floor: bare Bolt app (same HTTPReceiver) acks');
  const bolt = await ctx.start('bare-bolt-process', ctx.fakeEnv(), 'bare-bolt');
  let bareBoltAck: AckProfile;
  let bareBoltPeakRssMb: number;
  try {
    bareBoltAck = await measureAcks(ctx, bolt.port);
    bareBoltPeakRssMb = mb((await bolt.memory()).maxRss);
  } finally {
    await ctx.stop(bolt);
  }

  ctx.log(`floor: raw BullMQ add + no-op process, concurrency ${FLOOR_CONCURRENCY}`);
  const raw = await ctx.start(
    'raw-bullmq-process',
    { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: ctx.prefix('raw') },
    'raw-bullmq',
  );
  try {
    const report = await raw.runRawBullmq(
      ctx.size.rawBullmqJobs,
      FLOOR_CONCURRENCY,
      ctx.size.rawBullmqPickups,
    );
    return {
      bareBoltAck,
      bareBoltPeakRssMb,
      rawBullmq: {
        jobs: report.jobs,
        concurrency: report.concurrency,
        jobsPerSec: round(report.jobsPerSec, 1),
        pickupMs: percentiles(report.pickupMs),
      },
    };
  } finally {
    await ctx.stop(raw);
  }
}

export const mb = (bytes: number): number => round(bytes / (1024 * 1024), 1);
