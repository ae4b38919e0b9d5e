import { Redis } from 'ioredis';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { slashCommandBody } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

/**
 * docs/production.md sizes Redis from these numbers: a queued consultation is one BullMQ job hash
 * holding ids and the user's text (the thread itself is read by the worker, never queued), plus a
 * deduplication key. Measured with MEMORY USAGE on a job queued through the real app.
 */
describe('the Redis memory a queued consultation takes', () => {
  let h: Harness;
  let redis: Redis;
  beforeAll(async () => {
    // Web role only: no worker, so the job stays queued and can be measured.
    h = await startHarness({ ROLE: 'web' });
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await h.stop();
  });

  const queueAndMeasure = async (design: string) => {
    const res = await signedPost(h.eventsUrl, slashCommandBody(`review ${design}`), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    const waiting = await redis.lrange(`${h.prefix}:${CONSULTATION_QUEUE}:wait`, 0, 0);
    const jobId = waiting[0];
    if (!jobId) throw new Error('no job is waiting');
    const bytes = await redis.memory('USAGE', `${h.prefix}:${CONSULTATION_QUEUE}:${jobId}`, 'SAMPLES', 0);
    await redis.lrem(`${h.prefix}:${CONSULTATION_QUEUE}:wait`, 0, jobId);
    return Number(bytes);
  };

  it('is about 1 KB plus the request text', async () => {
    const small = await queueAndMeasure('One Postgres for orders and billing.');
    const large = await queueAndMeasure('x'.repeat(10_000));
    expect(small).toBeGreaterThan(300);
    expect(small).toBeLessThan(2048);
    // The text is stored once (in the job's data), so growth tracks its length.
    expect(large - small).toBeGreaterThan(9_000);
    expect(large - small).toBeLessThan(12_000);
    process.stdout.write(
      `queued job hash: ${small} bytes (short request), ${large} bytes (10,000-char request)\n`,
    );
  });
});
