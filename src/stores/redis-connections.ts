import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';

/**
 * A connection for request paths (enqueueing, readiness): it fails fast while Redis is down instead
 * of queueing commands in memory, so a user waiting on Slack's 3 seconds hears about it in time.
 */
export function createFailFastRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // ioredis waits this long for a closing socket with a timer of its own; a request-path connection has
    // nothing worth waiting 2 s for, and the default kept a stopped process (and jest) alive.
    disconnectTimeout: 200,
    // Keep reconnecting for as long as the process lives; each attempt waits a little longer, up to 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    ...extra,
  });
}

/** Connection options for a BullMQ Worker, which must block and retry forever (BullMQ requires maxRetriesPerRequest null). */
export function workerConnectionOptions(url: string): BullRedisOptions {
  return {
    url,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 200, 5000),
  };
}

/** Resolves with Redis's answer to PING, or rejects after `timeoutMs`. */
export async function pingRedis(redis: Redis, timeoutMs = 500): Promise<void> {
  await withTimeout(redis.ping(), timeoutMs, 'Redis did not answer PING');
}
