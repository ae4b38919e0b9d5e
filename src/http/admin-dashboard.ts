import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle';

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
 * Sent with every dashboard response: the page must not be framed by another site (clickjacking),
 * and job data must not be cached or sniffed into another type.
 */
const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
} as const;

/** Only reading is allowed: anything else could add, retry, promote or remove jobs. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Bull Board for the consultation queue, read-only, behind HTTP basic auth with `password` (any user
 * name). Only built when ADMIN_PASSWORD is set: it shows job data, which includes what users wrote.
 *
 * Read-only holds twice: Bull Board's own read-only mode hides and refuses its actions, and any
 * method other than GET or HEAD is answered 405 here before Bull Board sees it. A forged job would
 * carry any channel and thread, and the worker would read and post there as the bot.
 */
export function createAdminDashboard(options: {
  queue: Queue;
  password: string;
  throttle?: LoginThrottleOptions;
}): AdminDashboard {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(options.queue, { readOnlyMode: true, allowRetries: false })],
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Architect' } },
  });
  // The adapter's router is an Express app typed `any`; this is the one place that narrows it.
  const router = adapter.getRouter() as ExpressHandler;
  const expected = digest(options.password);
  const throttle = new LoginThrottle(options.throttle);

  return {
    matches: (path) => path === ADMIN_QUEUES_PATH || path?.startsWith(`${ADMIN_QUEUES_PATH}/`) === true,
    handle: (req, res) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      if (!READ_METHODS.has(req.method ?? '')) {
        return text(res, 405, 'the queue dashboard is read-only', { allow: 'GET, HEAD' });
      }
      const client = req.socket.remoteAddress ?? 'unknown';
      const waitMs = throttle.waitMs(client);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        return text(res, 429, `too many wrong passwords; try again in ${seconds} s`, {
          'retry-after': String(seconds),
        });
      }
      const header = req.headers.authorization;
      if (!authorized(header, expected)) {
        // A browser's first request carries no credentials; only a password that was tried counts.
        if (header !== undefined) throttle.recordFailure(client);
        return text(res, 401, 'authentication required', {
          'www-authenticate': 'Basic realm="Architect queue dashboard", charset="UTF-8"',
        });
      }
      throttle.recordSuccess(client);
      // What `app.use(ADMIN_QUEUES_PATH, router)` would do: the router sees paths relative to its mount.
      const url = req.url ?? '/';
      Object.assign(req, { originalUrl: url, url: url.slice(ADMIN_QUEUES_PATH.length) || '/' });
      router(req, res, (error) => {
        if (res.headersSent) return void res.end();
        text(res, error ? 500 : 404, error ? 'dashboard error' : 'not found');
      });
    },
  };
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
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
