import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for request paths (enqueueing, readiness): it fails fast while Redis is down instead
 * of queueing commands in memory, so a user waiting on Slack's 3 seconds hears about it in time.
 */
export function createFailFastRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
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

/** Rejects with `message` if `promise` has not settled after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
