import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ReviewStore } from '../../src/stores/review-store';
import { UserReviews } from '../../src/stores/user-reviews';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';

describe('UserReviews (real Redis)', () => {
  const prefix = `architect-test-${randomUUID().slice(0, 8)}`;
  let redis: Redis;
  let reviews: ReviewStore;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    reviews = new ReviewStore(redis, prefix);
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    redis.disconnect();
  });

  const save = (requestId: string, userId: string, createdAt: number) =>
    reviews.save({
      requestId,
      teamId: 'T1',
      channelId: 'C1',
      threadTs: '1700000000.000100',
      agentName: 'backend-architect',
      summary: `summary ${requestId}`,
      questions: [],
      answered: [],
      userId,
      createdAt,
    });

  it('keeps each user’s newest reviews, newest first, trimmed and expiring', async () => {
    const store = new UserReviews(redis, prefix, reviews, { keep: 3, ttlSeconds: 3600 });
    const now = Date.now();
    for (let i = 1; i <= 5; i++) {
      await save(`r${i}`, 'U1', now + i);
      await store.add({ teamId: 'T1', userId: 'U1', requestId: `r${i}`, deliveredAt: now + i });
    }
    await save('other', 'U2', now);
    await store.add({ teamId: 'T1', userId: 'U2', requestId: 'other', deliveredAt: now });

    const recent = await store.recent('T1', 'U1', 10);
    expect(recent.map((r) => r.requestId)).toEqual(['r5', 'r4', 'r3']);
    expect((await store.recent('T1', 'U1', 2)).map((r) => r.requestId)).toEqual(['r5', 'r4']);
    expect((await store.recent('T1', 'U2')).map((r) => r.requestId)).toEqual(['other']);
    expect(await store.recent('T2', 'U1')).toEqual([]);
    const ttl = await redis.ttl(store.key('T1', 'U1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('skips reviews whose record has expired or was never saved', async () => {
    const store = new UserReviews(redis, prefix, reviews);
    await store.add({ teamId: 'T9', userId: 'U9', requestId: 'gone', deliveredAt: Date.now() });
    expect(await store.recent('T9', 'U9')).toEqual([]);
  });
});
