import { randomUUID } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/logger';
import { atPriority, type CallPriority } from '../../src/slack/call-priority';
import { DroppedCallError, SlackCallScheduler } from '../../src/slack/call-scheduler';
import { type RateTier, rateTiers } from '../../src/slack/rate-tiers';
import { scheduledFetch } from '../../src/slack/scheduled-fetch';
import { createSlackWebClient } from '../../src/slack/web-client';
import { SlackBudgetStore } from '../../src/stores/slack-budget';
import { SlackApiFake } from '../fakes/slack-api-fake';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';

const CHANNEL = 'C0DESIGN';
const log = createLogger({ level: 'silent' });

/** Slack's tiers scaled down to a second, so a burst is over in moments. */
const TIERS: Record<string, RateTier> = {
  'chat.update': { limit: 4, windowMs: 1000 },
  'chat.delete': { limit: 4, windowMs: 1000 },
  'chat.postMessage': { limit: 2, windowMs: 1000, perChannel: true },
  'chat.postEphemeral': { limit: 3, windowMs: 1000 },
};

describe('the Slack call scheduler, against a Slack that enforces its tiers', () => {
  let slack: SlackApiFake;
  let prefix: string;
  const connections: Redis[] = [];

  beforeEach(async () => {
    slack = await SlackApiFake.start();
    prefix = `architect-test-${randomUUID().slice(0, 8)}`;
  });
  afterEach(async () => {
    await slack.close();
    await deleteKeysWithPrefix(prefix);
    for (const redis of connections.splice(0)) redis.disconnect();
  });

  const schedulerOf = (dropped: string[] = []) => {
    const redis = new Redis(TEST_REDIS_URL);
    connections.push(redis);
    return new SlackCallScheduler(new SlackBudgetStore(redis, prefix), rateTiers(TIERS), log, {
      waited: () => undefined,
      dropped: (method) => dropped.push(method),
    });
  };

  /** One process's Slack client: its own Redis connection, the budget shared through Redis. */
  const replica = () => {
    const dropped: string[] = [];
    const scheduler = schedulerOf(dropped);
    const client = createSlackWebClient({
      token: slack.botToken,
      apiUrl: slack.apiUrl,
      timeoutMs: 10_000,
      logger: log,
      scheduler,
    });
    return { client, dropped };
  };

  /** Messages to update, posted before Slack starts counting. */
  const seed = async (n: number) => {
    const plain = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const ts: string[] = [];
    for (let i = 0; i < n; i++)
      ts.push(String((await plain.chat.postMessage({ channel: CHANNEL, text: 'x' })).ts));
    slack.calls.splice(0);
    slack.enforceRateLimits(TIERS);
    return ts;
  };

  const update = (
    client: WebClient,
    ts: string,
    text: string,
    priority: CallPriority,
    signal?: AbortSignal,
  ) =>
    atPriority(priority, () => client.chat.update({ channel: CHANNEL, ts, text }), signal ? { signal } : {});

  it('sends a burst past the tier without one 429, and what a person waits for first', async () => {
    const ts = await seed(1);
    const { client } = replica();
    const message = ts[0] ?? '';
    const calls = [
      ...Array.from({ length: 8 }, (_, i) => update(client, message, `progress ${i}`, 'progress')),
      ...Array.from({ length: 4 }, (_, i) => update(client, message, `delivery ${i}`, 'delivery')),
    ];
    await Promise.all(calls);
    const updates = slack.callsTo('chat.update');
    expect(slack.rateLimited()).toEqual({});
    expect(updates).toHaveLength(12);
    expect(updates.every((c) => c.status === 200)).toBe(true);
    // The deliveries, asked for last, were sent within the first five (one progress update may have
    // been on its way already).
    const order = updates.map((c) => String(c.params.text));
    const lastDelivery = Math.max(...order.map((t, i) => (t.startsWith('delivery') ? i : -1)));
    expect(lastDelivery).toBeLessThanOrEqual(4);
  }, 20_000);

  it('shares one budget between replicas: two processes together stay inside the tier', async () => {
    const ts = await seed(1);
    const message = ts[0] ?? '';
    const a = replica();
    const b = replica();
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => update(a.client, message, `a ${i}`, 'delivery')),
      ...Array.from({ length: 6 }, (_, i) => update(b.client, message, `b ${i}`, 'delivery')),
      ...Array.from({ length: 3 }, (_, i) =>
        atPriority('sign_of_life', () => b.client.chat.postMessage({ channel: CHANNEL, text: `post ${i}` })),
      ),
    ]);
    expect(slack.rateLimited()).toEqual({});
    expect(slack.callsTo('chat.update').filter((c) => c.status === 200)).toHaveLength(12);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.status === 200)).toHaveLength(3);
  }, 20_000);

  it('holds only the method Slack answered 429, for its Retry-After, in every replica', async () => {
    const ts = await seed(2);
    const a = replica();
    const b = replica();
    slack.failNext('chat.update', { error: 'ratelimited', status: 429, retryAfterSec: 1 });
    const refused = update(a.client, ts[0] ?? '', 'held', 'delivery');
    await slack.waitFor(() => slack.callsTo('chat.update').some((c) => c.status === 429));
    // Another method goes at once, and the other replica's update waits for the Retry-After.
    const posted = a.client.chat.postMessage({ channel: CHANNEL, text: 'not held' });
    const other = update(b.client, ts[1] ?? '', 'other replica', 'delivery');
    await Promise.all([refused, posted, other]);
    const postAnswered = slack.callsTo('chat.postMessage')[0]?.answered ?? 0;
    const updates = slack.callsTo('chat.update');
    expect(updates.map((c) => c.status)).toEqual([429, 200, 200]);
    // The post was answered before either update went again: a 429 did not pause the client.
    expect(updates.slice(1).every((c) => c.arrived > postAnswered)).toBe(true);
    expect(Object.values(slack.rateLimited()).reduce((n, c) => n + c, 0)).toBe(1);
  }, 20_000);

  it('drops a progress update still waiting for budget when it is no longer wanted, unsent', async () => {
    const ts = await seed(1);
    const { client, dropped } = replica();
    const message = ts[0] ?? '';
    await Promise.all(
      Array.from({ length: 4 }, (_, i) => update(client, message, `delivery ${i}`, 'delivery')),
    );
    const stale = new AbortController();
    const waiting = update(client, message, 'stale progress', 'progress', stale.signal);
    stale.abort();
    await expect(waiting).rejects.toBeInstanceOf(DroppedCallError);
    await update(client, message, 'latest progress', 'progress');
    const texts = slack.callsTo('chat.update').map((c) => String(c.params.text));
    expect(texts).not.toContain('stale progress');
    expect(texts.at(-1)).toBe('latest progress');
    expect(dropped).toEqual(['chat.update']);
    expect(slack.rateLimited()).toEqual({});
  }, 20_000);

  it("gates the clients Bolt builds (the ingress's) through their fetch, sharing the worker's budget", async () => {
    await seed(0);
    const worker = replica();
    const bolt = new WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      fetch: scheduledFetch(schedulerOf(), 10_000),
      retryConfig: { retries: 0 },
    });
    const note = (client: WebClient, i: number) =>
      client.chat.postEphemeral({ channel: CHANNEL, user: 'U0ALICE', text: `note ${i}` });
    slack.failNext('chat.postEphemeral', { error: 'ratelimited', status: 429, retryAfterSec: 1 });
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => note(bolt, i)),
      ...Array.from({ length: 4 }, (_, i) => note(worker.client, 10 + i)),
    ]);
    const notes = slack.callsTo('chat.postEphemeral');
    // The injected 429 and nothing else: eight notes delivered inside a tier of three a second.
    expect(notes.filter((c) => c.status === 429)).toHaveLength(1);
    expect(notes.filter((c) => c.status === 200)).toHaveLength(8);
    expect(slack.rateLimited()).toEqual({ 'chat.postEphemeral': 1 });
  }, 20_000);
});
