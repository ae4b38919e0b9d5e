import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

/** Where the queue dashboard lives on the process's HTTP server. */
export const ADMIN_QUEUES_PATH = '/admin/queues';

export interface AdminDashboard {
  /** True when the request's path belongs to the dashboard (and this handler should answer it). */
  matches(path: string | undefined): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** Express's own request handler signature, which the adapter's router (an Express app) has. */
type ExpressHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Bull Board for the consultation queue, behind HTTP basic auth with `password` (any user name). Only
 * built when ADMIN_PASSWORD is set: the dashboard can retry and delete jobs, and shows job data.
 */
export function createAdminDashboard(options: { queue: Queue; password: string }): AdminDashboard {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(options.queue)],
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Architect' } },
  });
  // The adapter's router is an Express app typed `any`; this is the one place that narrows it.
  const router = adapter.getRouter() as ExpressHandler;
  const expected = digest(options.password);

  return {
    matches: (path) => path === ADMIN_QUEUES_PATH || path?.startsWith(`${ADMIN_QUEUES_PATH}/`) === true,
    handle: (req, res) => {
      if (!authorized(req.headers.authorization, expected)) {
        res.writeHead(401, {
          'content-type': 'text/plain; charset=utf-8',
          'www-authenticate': 'Basic realm="Architect queue dashboard", charset="UTF-8"',
        });
        res.end('authentication required');
        return;
      }
      // What `app.use(ADMIN_QUEUES_PATH, router)` would do: the router sees paths relative to its mount.
      const url = req.url ?? '/';
      Object.assign(req, { originalUrl: url, url: url.slice(ADMIN_QUEUES_PATH.length) || '/' });
      router(req, res, (error) => {
        if (res.headersSent) return void res.end();
        res.writeHead(error ? 500 : 404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(error ? 'dashboard error' : 'not found');
      });
    },
  };
}

/**
 * Basic auth with a constant-time comparison: both sides are hashed first so that neither the
 * password's length nor its prefix can be learnt from response times.
 */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return timingSafeEqual(digest(decoded.slice(colon + 1)), expected);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
