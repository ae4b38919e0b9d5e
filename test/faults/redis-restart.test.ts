import { rmSync } from 'node:fs';
import { type Harness, startAnotherInstance, startHarness } from '../helpers/architect-harness';
import { PrivateRedis } from '../helpers/redis-server';
import { botReplies, isReview, mention, slashCommand } from '../helpers/slack-actions';
import { USER } from '../helpers/slack-payloads';
import { waitForReview, waitUntil, waitUntilIdle } from '../helpers/waits';
import { harnessQueue } from './fault-helpers';

/** Short locks so a job interrupted by the restart is picked up again in seconds. */
const FAST_RECOVERY = { LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '500' };

describe('Redis restarted while the bot runs', () => {
  let redis: PrivateRedis | undefined;
  let h: Harness | undefined;
  const others: { stop(): Promise<void> }[] = [];

  afterEach(async () => {
    await Promise.all(others.splice(0).map((o) => o.stop()));
    await h?.stop();
    h = undefined;
    await redis?.down();
    if (redis) rmSync(redis.dir, { recursive: true, force: true });
    redis = undefined;
  });

  const startOn = async (r: PrivateRedis, env: Record<string, string> = {}) => {
    const harness = await startHarness({ REDIS_URL: r.url, ...FAST_RECOVERY, ...env });
    harness.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    return harness;
  };
  const readyz = async (app: Harness) => (await fetch(`${app.baseUrl}/readyz`)).status;

  it('while Redis is down requests get "try again"; once it is back both roles recover without a restart', async () => {
    redis = await PrivateRedis.start();
    const app = await startOn(redis, { ROLE: 'all' });
    h = app;
    const before = await mention(app);
    await waitForReview(app, before);

    await redis.down();
    await waitUntil(async () => (await readyz(app)) === 503, { timeoutMs: 10_000 });
    const ack = await slashCommand(app, 'review one Postgres for orders and billing');
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toMatch(/try again/i);

    const whileDown = await mention(app);
    const note = await app.slack.waitFor(() =>
      app.slack.ephemerals.find((e) => e.thread_ts === whileDown && e.user === USER),
    );
    expect(note.text).toMatch(/try again/i);
    expect(botReplies(app, whileDown)).toHaveLength(0);

    await redis.up();
    // Same port, same app: the ingress's connection and the worker's find Redis again by themselves.
    await waitUntil(async () => (await readyz(app)) === 200, { timeoutMs: 15_000 });
    const after = await mention(app);
    const review = await waitForReview(app, after, 30_000);
    expect(review.thread_ts).toBe(after);
    expect(botReplies(app, after)).toHaveLength(1);
    // The request refused during the outage stayed refused: nothing was queued for it behind the user's back.
    expect(botReplies(app, whileDown)).toHaveLength(0);
    expect(app.claude.requests).toHaveLength(2);
  }, 60_000);

  it('a request queued while no worker runs survives a Redis restart and is reviewed once a worker starts', async () => {
    redis = await PrivateRedis.start();
    const web = await startOn(redis, { ROLE: 'web' });
    h = web;
    const queue = harnessQueue(web, redis.url);
    try {
      const ts = await mention(web);
      await waitUntil(async () => (await queue.getJobCounts('waiting')).waiting === 1);
      await queue.close();

      // An operator's restart: SIGTERM makes Redis flush its append-only file, then it starts from it.
      await redis.down();
      await redis.up();

      others.push(
        await startAnotherInstance(web, { ROLE: 'worker', REDIS_URL: redis.url, ...FAST_RECOVERY }),
      );
      const review = await waitForReview(web, ts, 30_000);
      expect(review.thread_ts).toBe(ts);
      expect(botReplies(web, ts)).toHaveLength(1);
      expect(web.claude.requests).toHaveLength(1);
    } finally {
      await queue.close();
    }
  }, 60_000);

  it('a job running when Redis restarts still ends in one review', async () => {
    redis = await PrivateRedis.start();
    const app = await startOn(redis, { ROLE: 'all' });
    h = app;
    app.claude.enqueue({ kind: 'review', latencyMs: 1500 });
    const ts = await mention(app);
    await app.claude.waitForRequests(1);
    await redis.down();
    await redis.up();
    await waitForReview(app, ts, 30_000);
    const queue = harnessQueue(app, redis.url);
    try {
      await waitUntilIdle(queue, 30_000);
    } finally {
      await queue.close();
    }
    expect(botReplies(app, ts).filter(isReview)).toHaveLength(1);
    expect(botReplies(app, ts)).toHaveLength(1);
  }, 60_000);
});

describe('Redis eviction policy at start-up', () => {
  const warnings = (h: Harness) => h.logs.lines.filter((l) => /maxmemory-policy/.test(String(l.msg)));

  it('warns when maxmemory-policy is not noeviction, naming the policy', async () => {
    const redis = await PrivateRedis.start(['--maxmemory-policy', 'allkeys-lru']);
    const h = await startHarness({ REDIS_URL: redis.url, ROLE: 'web' });
    try {
      const [warning] = warnings(h);
      expect(warning).toMatchObject({ level: 40, maxmemoryPolicy: 'allkeys-lru' });
      expect(String(warning?.msg)).toMatch(/noeviction/);
    } finally {
      await h.stop();
      await redis.down();
      rmSync(redis.dir, { recursive: true, force: true });
    }
  });

  it('says nothing when it is noeviction', async () => {
    const redis = await PrivateRedis.start(['--maxmemory-policy', 'noeviction']);
    const h = await startHarness({ REDIS_URL: redis.url, ROLE: 'web' });
    try {
      expect(warnings(h)).toHaveLength(0);
      expect(h.logs.lines.some((l) => /architect started/.test(String(l.msg)))).toBe(true);
    } finally {
      await h.stop();
      await redis.down();
      rmSync(redis.dir, { recursive: true, force: true });
    }
  });
});
