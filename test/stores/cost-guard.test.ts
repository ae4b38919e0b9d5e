import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { CostGuard } from '../../src/stores/cost-guard';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';

describe('the cost guard on a real Redis', () => {
  const prefix = `architect-test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    redis.disconnect();
  });

  it('admits exactly the hourly limit out of many concurrent requests, and says when it resets', async () => {
    const guard = new CostGuard(
      redis,
      `${prefix}:a`,
      { requestsPerUserPerHour: 10, dailyTokenBudgetPerTeam: 0 },
      60_000,
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => guard.admit('T1', 'U1', `req-${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, reason: 'rate_limit', limit: 10 });
    // The hour slides: a place frees up an hour after the oldest admitted request.
    if (refused && !refused.ok) {
      expect(refused.resetsAt.getTime()).toBeGreaterThan(Date.now());
      expect(refused.resetsAt.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
    }
    expect((await guard.admit('T1', 'U2', 'other-person')).ok).toBe(true);
  });

  it('counts one request delivered many times at once only once', async () => {
    const guard = new CostGuard(
      redis,
      `${prefix}:b`,
      { requestsPerUserPerHour: 2, dailyTokenBudgetPerTeam: 0 },
      60_000,
    );
    const deliveries = await Promise.all(
      Array.from({ length: 30 }, () => guard.admit('T1', 'U1', 'same-event')),
    );
    expect(deliveries.filter((d) => d.ok && !d.repeat)).toHaveLength(1);
    expect(deliveries.every((d) => d.ok)).toBe(true);
    expect((await guard.admit('T1', 'U1', 'second')).ok).toBe(true);
    expect((await guard.admit('T1', 'U1', 'third')).ok).toBe(false);
    expect(await guard.admit('T1', 'U1', 'third')).toMatchObject({ ok: false, repeat: true });
  });

  it('refuses a workspace once its tokens for the day are spent', async () => {
    const guard = new CostGuard(
      redis,
      `${prefix}:c`,
      { requestsPerUserPerHour: 0, dailyTokenBudgetPerTeam: 1000 },
      60_000,
    );
    expect((await guard.admit('T1', 'U1', 'r1')).ok).toBe(true);
    await guard.recordTokens('T1', 1200);
    expect(await guard.admit('T1', 'U1', 'r2')).toMatchObject({
      ok: false,
      reason: 'cost_guard',
      limit: 1000,
    });
    expect((await guard.admit('T2', 'U1', 'r3')).ok).toBe(true);
  });

  it('cannot be doubled at an hour boundary: the limit holds over any sixty minutes', async () => {
    let now = Date.parse('2026-11-29T10:59:00Z');
    const guard = new CostGuard(
      redis,
      `${prefix}:d`,
      { requestsPerUserPerHour: 2, dailyTokenBudgetPerTeam: 0 },
      60_000,
      () => now,
    );
    expect((await guard.admit('T1', 'U1', 'a')).ok).toBe(true);
    expect((await guard.admit('T1', 'U1', 'b')).ok).toBe(true);
    // A clock-hour window would reset at 11:00 and let two more through at 11:01.
    now = Date.parse('2026-11-29T11:01:00Z');
    expect(await guard.admit('T1', 'U1', 'c')).toMatchObject({
      ok: false,
      reason: 'rate_limit',
      resetsAt: new Date('2026-11-29T11:59:00Z'),
    });
    now = Date.parse('2026-11-29T11:59:01Z');
    expect((await guard.admit('T1', 'U1', 'd')).ok).toBe(true);
  });

  it('checks the budget against an estimate before Claude is called', async () => {
    const guard = new CostGuard(
      redis,
      `${prefix}:e`,
      { requestsPerUserPerHour: 0, dailyTokenBudgetPerTeam: 10_000 },
      60_000,
    );
    expect((await guard.canSpend('T1', 50_000)).ok).toBe(true); // nothing spent yet: one request may run
    await guard.recordTokens('T1', 6_000);
    expect((await guard.canSpend('T1', 3_000)).ok).toBe(true);
    expect(await guard.canSpend('T1', 5_000)).toMatchObject({
      ok: false,
      reason: 'cost_guard',
      limit: 10_000,
    });
  });

  it('reserves estimates atomically: of ten jobs starting together on an untouched day, only one runs', async () => {
    const guard = new CostGuard(
      redis,
      `${prefix}:f`,
      { requestsPerUserPerHour: 0, dailyTokenBudgetPerTeam: 10_000 },
      60_000,
    );
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => guard.reserve('T1', 8_000)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(1);
    // Claude billed less than the estimate: the day is settled at what was billed.
    await guard.settle('T1', 8_000, 1_500);
    expect((await guard.reserve('T1', 8_000)).ok).toBe(true);
    expect((await guard.reserve('T1', 1_000)).ok).toBe(false);
  });

  it('an attempt that crashes before it settles stays counted at its estimate', async () => {
    const guard = new CostGuard(
      redis,
      `${prefix}:g`,
      { requestsPerUserPerHour: 0, dailyTokenBudgetPerTeam: 10_000 },
      60_000,
    );
    expect((await guard.reserve('T1', 6_000)).ok).toBe(true);
    // No settle: the worker died mid-call. What it may have spent still counts.
    expect(await guard.reserve('T1', 5_000)).toMatchObject({ ok: false, reason: 'cost_guard' });
  });
});
