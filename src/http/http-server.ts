import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from '../logger';
import type { AdminDashboard } from './admin-dashboard';
import { guardSlackRequest, type SlackRequestGuardOptions } from './slack-request-guard';

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

export interface HttpServerOptions {
  /** Bolt's listener for Slack requests; absent in Socket Mode and for worker-only processes. */
  slackListener: RequestListener | undefined;
  /** Checks every Slack request before Bolt sees it (HTTP mode). */
  slackGuard?: SlackRequestGuardOptions;
  readiness: () => Promise<Readiness>;
  logger: Logger;
  /** Prometheus text for GET /metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** The queue dashboard under /admin/queues; absent (404) unless ADMIN_PASSWORD is set. */
  adminDashboard?: AdminDashboard;
}

/** The process's HTTP server: health and readiness in every mode, Slack's requests in HTTP mode. */
export function createHttpServer(options: HttpServerOptions): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const readiness = await options.readiness();
      return json(res, readiness.ready ? 200 : 503, {
        status: readiness.ready ? 'ready' : 'not ready',
        checks: readiness.checks,
      });
    }
    if (req.method === 'GET' && path === '/metrics' && options.metrics) {
      const metrics = await options.metrics();
      res.writeHead(200, { 'content-type': metrics.contentType });
      return res.end(metrics.body);
    }
    if (options.adminDashboard?.matches(path)) return options.adminDashboard.handle(req, res);
    if (path === '/slack/events' && options.slackListener) {
      if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
      if (options.slackGuard) {
        const guarded = await guardSlackRequest(req, options.slackGuard);
        if (!guarded.ok) {
          options.logger.warn(
            { status: guarded.refusal.status, reason: guarded.refusal.reason },
            'Slack request refused',
          );
          return json(res, guarded.refusal.status, { error: guarded.refusal.reason });
        }
        // Bolt reads an already-buffered body from `rawBody` instead of the (consumed) stream.
        Object.assign(req, { rawBody: guarded.rawBody });
      }
      return options.slackListener(req, res);
    }
    return json(res, 404, { error: 'not found' });
  };
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error(
        { err: error instanceof Error ? error.message : String(error), path: req.url },
        'HTTP handler failed',
      );
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
