import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';

/**
 * One call from a sliding window of `limit` calls in `window` ms, with Redis's own clock so every
 * replica counts alike, unless Slack's Retry-After still holds the key. Each call is a member scored
 * by its time; the ones older than the window drop out.
 * KEYS: the window, the Retry-After hold. ARGV: window ms, calls allowed, member.
 * Returns 0 when the call is counted, otherwise how many ms until it could be.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if held > now then return held - now end
local window = tonumber(ARGV[1])
local allowed = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < allowed then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local freeing = redis.call('ZRANGE', KEYS[1], n - allowed, n - allowed, 'WITHSCORES')
return math.max(1, tonumber(freeing[2]) + window - now)
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

  /** Counts one call under `key` when fewer than `allowed` were made in the window; else ms to wait. */
  async take(key: string, windowMs: number, allowed: number): Promise<number> {
    const reply = await withTimeout(
      this.redis.eval(
        TAKE_SCRIPT,
        2,
        this.windowKey(key),
        this.holdKey(key),
        windowMs,
        allowed,
        `${this.member}:${++this.counter}`,
      ),
      REDIS_TIMEOUT_MS,
      'Redis did not answer the Slack budget in time',
    );
    return Number(reply);
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
