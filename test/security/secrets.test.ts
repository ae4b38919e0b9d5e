import { Redis } from 'ioredis';
import { harnessQueue } from '../faults/fault-helpers';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { mention, slashCommand } from '../helpers/slack-actions';
import { USER } from '../helpers/slack-payloads';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { waitForFailure, waitForReview, waitUntilIdle } from '../helpers/waits';

/** Distinctive values, so that any appearance of one is a leak and not a coincidence. */
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-LEAKCHECK-7c1e94b2d05a',
  SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
  ANTHROPIC_API_KEY: 'sk-ant-LEAKCHECK-3f8a61c9e27d',
};
/** A design text no log line at info or above may carry. */
const DESIGN = 'DESIGN-9d41: ledger on DynamoDB with a Lambda per tenant';

/** Every value stored under a key prefix, whatever the key's type, as text. */
async function everyStoredValue(prefix: string): Promise<{ key: string; value: string }[]> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const out: { key: string; value: string }[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let value: unknown;
        if (type === 'hash') value = await redis.hgetall(key);
        else if (type === 'string') value = await redis.get(key);
        else if (type === 'list') value = await redis.lrange(key, 0, -1);
        else if (type === 'set') value = await redis.smembers(key);
        else if (type === 'zset') value = await redis.zrange(key, '0', '-1');
        else if (type === 'stream') value = await redis.xrange(key, '-', '+');
        out.push({ key, value: `${key} ${JSON.stringify(value)}` });
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out;
}

/** The secrets (by name) that appear in `text`. */
const leaked = (text: string) => Object.entries(SECRETS).filter(([, secret]) => text.includes(secret));

describe('secrets never leave the process', () => {
  let h: Harness;
  /** What the app answered the slash command, /metrics, and every value it kept in Redis. */
  const acks: string[] = [];
  const metrics: string[] = [];
  const stored: { key: string; value: string }[] = [];

  beforeAll(async () => {
    h = await startHarness({ ...SECRETS, LOG_LEVEL: 'debug', JOB_ATTEMPTS: '1' });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    const queue = harnessQueue(h);
    try {
      // A review, asked for with the slash command.
      const ack = await slashCommand(h, `review ${DESIGN}`);
      acks.push(JSON.stringify(ack));
      const placeholder = await h.slack.waitFor(() =>
        h.slack.callsTo('chat.postMessage').find((c) => c.status === 200 && c.params.thread_ts),
      );
      await waitForReview(h, String(placeholder.params.thread_ts));

      // Claude refuses the key.
      h.claude.enqueue({ kind: 'error', status: 401, type: 'authentication_error' });
      await waitForFailure(h, await mention(h, { text: `<@UBOT> ${DESIGN} (401)` }));

      // Claude refuses the request.
      h.claude.enqueue({ kind: 'error', status: 400, type: 'invalid_request_error' });
      await waitForFailure(h, await mention(h, { text: `<@UBOT> ${DESIGN} (400)` }));

      // Slack fails while the thread is read: the job fails and the placeholder says so.
      h.slack.failNext('conversations.replies', { error: 'internal_error', status: 500, times: 10 });
      await waitForFailure(h, await mention(h, { text: `<@UBOT> ${DESIGN} (slack)` }), 30_000);
      await waitUntilIdle(queue);

      metrics.push(await (await fetch(`${h.baseUrl}/metrics`)).text());
      stored.push(...(await everyStoredValue(h.prefix)));
    } finally {
      await queue.close();
    }
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('ran every scenario: a review, a Claude 401, a Claude 400 and a Slack error', () => {
    const levels = h.logs.lines.map((l) => l.level);
    expect(levels).toContain(20); // debug lines were written, and are scanned below
    expect(h.claude.requests.length).toBeGreaterThanOrEqual(3);
    expect(h.slack.callsTo('conversations.replies').some((c) => c.status === 500)).toBe(true);
  });

  it('no log line, at any level, holds a secret', () => {
    const offending = h.logs.raw.filter((line) => leaked(line).length > 0);
    expect(offending).toEqual([]);
  });

  it('no job data (nor anything else the bot keeps in Redis) holds a secret', () => {
    expect(stored.some((s) => s.key.includes(':consultations:'))).toBe(true);
    expect(stored.filter((s) => leaked(s.value).length > 0).map((s) => s.key)).toEqual([]);
  });

  it('nothing sent to Slack or shown to a user holds a secret', () => {
    const sent = [
      ...h.slack.calls.map((c) => JSON.stringify(c.params)),
      ...h.slack.ephemerals.map((e) => JSON.stringify(e)),
      ...[...h.slack.views.values()].map((v) => JSON.stringify(v)),
      ...acks,
    ];
    expect(sent.filter((s) => leaked(s).length > 0)).toEqual([]);
  });

  it('nothing sent to Claude holds a Slack secret, and /metrics holds none', () => {
    const bodies = h.claude.requests.map((r) => JSON.stringify(r.body));
    expect(bodies.filter((b) => leaked(b).length > 0)).toEqual([]);
    expect(metrics.filter((m) => leaked(m).length > 0)).toEqual([]);
  });

  it('no line at info level or above holds the design text', () => {
    const infoOrAbove = h.logs.raw.filter((_line, i) => Number(h.logs.lines[i]?.level ?? 0) >= 30);
    expect(infoOrAbove.length).toBeGreaterThan(0);
    expect(infoOrAbove.filter((line) => line.includes('DESIGN-9d41'))).toEqual([]);
  });
});
