import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger';

/** migrations/ at the repository root: next to src/ in development, next to dist/ in the image. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

/** Another replica holds node-pg-migrate's lock: wait for it rather than fail start-up. */
const LOCK_RETRIES = 30;
const LOCK_RETRY_MS = 1000;

/**
 * Brings the installation store's schema up to date with node-pg-migrate, at start-up. Replicas that
 * start together take turns on the tool's advisory lock; the second finds nothing left to run.
 */
export async function migrateInstallationStore(
  databaseUrl: string,
  logger: Logger,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  const log = logger.child({ component: 'migrations' });
  for (let attempt = 1; ; attempt++) {
    try {
      const ran = await runner({
        databaseUrl,
        dir: MIGRATIONS_DIR,
        direction: 'up',
        migrationsTable: 'architect_migrations',
        count: Number.POSITIVE_INFINITY,
        checkOrder: true,
        logger: {
          debug: () => undefined,
          info: () => undefined,
          warn: (m) => log.warn(m),
          error: (m) => log.error(m),
        },
      });
      log.info({ ran: ran.map((m) => m.name) }, 'installation store schema is up to date');
      return;
    } catch (error) {
      const locked = error instanceof Error && /Another migration is already running/.test(error.message);
      if (!locked || attempt >= LOCK_RETRIES) throw error;
      await sleep(LOCK_RETRY_MS);
    }
  }
}
