import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type AdminDashboard, createAdminDashboard } from '../http/admin-dashboard';
import { withTimeout } from '../lib/with-timeout';
import { CONSULTATION_QUEUE } from '../queue/consultation-job';
import { ArchitectMetrics } from './metrics';

/** What operators see of one process: its metrics and, when enabled, the queue dashboard. */
export interface Observability {
  metrics: ArchitectMetrics;
  /** Present only when ADMIN_PASSWORD is set. */
  adminDashboard: AdminDashboard | undefined;
  close(): Promise<void>;
}

/**
 * Builds the metrics and the dashboard over a read-mostly view of the consultation queue, so that
 * every role (web, worker or both) reports the shared queue's depth and can serve the dashboard.
 */
export function createObservability(options: {
  redis: Redis;
  prefix: string;
  adminPassword: string | undefined;
}): Observability {
  const queue = new Queue(CONSULTATION_QUEUE, { connection: options.redis, prefix: options.prefix });
  // The shared fail-fast connection reports its own errors; BullMQ re-emits them here.
  queue.on('error', () => undefined);
  const metrics = new ArchitectMetrics({
    // A scrape must not hang on a Redis that has gone away.
    queueCounts: () =>
      withTimeout(
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
        2000,
        'queue counts timed out',
      ),
  });
  return {
    metrics,
    adminDashboard: options.adminPassword
      ? createAdminDashboard({ queue, password: options.adminPassword })
      : undefined,
    close: () => queue.close(),
  };
}
