import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';

/**
 * One call from a sliding window of `limit` calls in `window` ms, with Redis's own clock so every
 * replica counts alike, unless Slack's Retry-After still holds the key. Each call is a member scored
 * by when it reached Slack at the latest: while it is on its way, the latest it may arrive (now + its
 * timeout); once answered, the moment of the answer (DONE_SCRIPT). So a call delayed on its way still
 * counts for a full window after Slack saw it, however late that was.
 * KEYS: the window, the Retry-After hold. ARGV: window ms, calls allowed, member, in-flight allowance ms.
 * Returns 0 when the call is counted, otherwise how many ms until it could be.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if held > now then return held - now end
local window = tonumber(ARGV[1])
local allowed = tonumber(ARGV[2])
local inflight = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < allowed then
  redis.call('ZADD', KEYS[1], now + inflight, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + inflight)
  return 0
end
local freeing = redis.call('ZRANGE', KEYS[1], n - allowed, n - allowed, 'WITHSCORES')
return math.max(1, tonumber(freeing[2]) + window - now)
`;

/** The call `member` was answered now: it counts from now, not from the latest it could have arrived. */
const DONE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 0
`;

/** Holds a key for `ms` (Slack's Retry-After), never shortening a longer hold. KEYS: the hold. ARGV: ms. */
const HOLD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < now + ms then
  redis.call('SET', KEYS[1], now + ms, 'PX', ms)
end
return 0
`;

/** How long a budget answer may take before the call goes ahead without it. */
const REDIS_TIMEOUT_MS = 1000;

/**
 * The Slack call budget every process of a deployment shares: a sliding window per workspace and
 * method (and channel where Slack counts per channel), and Slack's Retry-After, in Redis.
 */
export class SlackBudgetStore {
  private readonly member = randomUUID().slice(0, 8);
  private counter = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Counts one call under `key` when fewer than `allowed` were made in the window, as on its way for
   * up to `inflightMs`: answers its member (for `done`), or the ms to wait.
   */
  async take(
    key: string,
    windowMs: number,
    allowed: number,
    inflightMs: number,
  ): Promise<{ member: string } | { waitMs: number }> {
    const member = `${this.member}:${++this.counter}`;
    const reply = await withTimeout(
      this.redis.eval(
        TAKE_SCRIPT,
        2,
        this.windowKey(key),
        this.holdKey(key),
        windowMs,
        allowed,
        member,
        inflightMs,
      ),
      REDIS_TIMEOUT_MS,
      'Redis did not answer the Slack budget in time',
    );
    const waitMs = Number(reply);
    return waitMs === 0 ? { member } : { waitMs };
  }

  /** The call counted as `member` has been answered. */
  async done(key: string, member: string): Promise<void> {
    await withTimeout(
      this.redis.eval(DONE_SCRIPT, 1, this.windowKey(key), member),
      REDIS_TIMEOUT_MS,
      'Redis did not take a Slack call’s answer in time',
    );
  }

  /** Slack said Retry-After: no process calls `key` for `ms`. */
  async hold(key: string, ms: number): Promise<void> {
    await withTimeout(
      this.redis.eval(HOLD_SCRIPT, 1, this.holdKey(key), Math.max(1, Math.ceil(ms))),
      REDIS_TIMEOUT_MS,
      'Redis did not take the Slack Retry-After in time',
    );
  }

  private windowKey(key: string): string {
    return `${this.prefix}:slack-budget:${key}`;
  }

  private holdKey(key: string): string {
    return `${this.prefix}:slack-budget:${key}:hold`;
  }
}
