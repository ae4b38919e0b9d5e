import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../helpers/redis-keys';

/**
 * The suite test-redis.test.ts runs Jest on: whatever Redis globalSetup found or started serves the
 * tests at TEST_REDIS_URL. Small and owned here, so moving other suites cannot break that test.
 */
describe('the Redis a test run uses', () => {
  it('keeps what a test writes at TEST_REDIS_URL', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const key = `architect-test-redis-answers:${randomUUID()}`;
    try {
      await redis.set(key, 'written', 'PX', 60_000);
      expect(await redis.get(key)).toBe('written');
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });
});
