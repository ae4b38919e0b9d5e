import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { PrivateRedis, redisAnswers } from './helpers/redis-server';

/**
 * Jest's globalSetup: the suite needs a Redis at TEST_REDIS_URL (default 127.0.0.1:6379). When one
 * answers, it is used as is. When none does and redis-server is on PATH, one is started for this run on
 * that address (globalTeardown stops it), so `npm test` passes on a fresh machine. Otherwise the run
 * stops before any test with one message saying how to get Redis, instead of hundreds of
 * connection errors.
 */

const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Where globalTeardown (same process, fresh module scope) finds the server this run started. */
const STARTED_KEY = Symbol.for('architect.test.startedRedis');
type GlobalWithRedis = typeof globalThis & { [STARTED_KEY]?: PrivateRedis };

export function noRedisMessage(url: string): string {
  return [
    `The tests need Redis, and nothing answers on ${url} (TEST_REDIS_URL, default ${DEFAULT_TEST_REDIS_URL}).`,
    'With redis-server on PATH, npm test starts one for the run on that address. Get one with',
    '`apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS),',
    'or start one on 127.0.0.1:6379 with `docker compose up redis`.',
  ].join('\n');
}

export function onPath(command: string, searchPath: string | undefined): boolean {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/**
 * Makes sure a Redis answers on `url`: returns undefined when one already does, the server it started
 * when none did, and rejects with noRedisMessage when it can start none.
 */
export async function ensureTestRedis(
  url: string,
  searchPath: string | undefined,
): Promise<PrivateRedis | undefined> {
  const { hostname, port: portText } = new URL(url);
  const port = Number(portText || 6379);
  if (await redisAnswers(hostname, port)) return undefined;
  if (!LOOPBACK_HOSTS.has(hostname) || !onPath('redis-server', searchPath)) {
    throw new Error(noRedisMessage(url));
  }
  return PrivateRedis.startOn(port, ['--appendonly', 'no']);
}

export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
  try {
    const started = await ensureTestRedis(url, process.env.PATH);
    if (started) {
      (globalThis as GlobalWithRedis)[STARTED_KEY] = started;
      process.stderr.write(`Started redis-server on ${url} for this test run; it stops when the run ends.\n`);
    }
  } catch (error) {
    // One message, no stack: the stack of a set-up file is noise to someone who only lacks Redis.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\n${message}\n\n`);
    process.exit(1);
  }
}

export function startedTestRedis(): PrivateRedis | undefined {
  return (globalThis as GlobalWithRedis)[STARTED_KEY];
}
