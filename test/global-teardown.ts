import { rmSync } from 'node:fs';
import { startedTestRedis } from './global-setup';

/** Jest's globalTeardown: stops the Redis that globalSetup started for this run, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const redis = startedTestRedis();
  if (!redis) return;
  await redis.down();
  rmSync(redis.dir, { recursive: true, force: true });
}
