import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * BullMQ needs `maxmemory-policy noeviction`: any other policy lets Redis silently drop queued jobs
 * under memory pressure. Managed Redis services may refuse CONFIG; then there is nothing to check.
 */
export async function warnUnlessNoEviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    const policy = Array.isArray(reply) ? reply[1] : undefined;
    if (typeof policy === 'string' && policy !== 'noeviction') {
      logger.warn(
        { maxmemoryPolicy: policy },
        `Redis maxmemory-policy is "${policy}": queued reviews can be evicted and lost. Set it to noeviction (see docs).`,
      );
    }
  } catch {
    // CONFIG is disabled on some managed Redis offerings; their documentation states the policy.
  }
}
