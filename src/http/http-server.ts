import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import type { AdminDashboard } from './admin-dashboard';
import { json } from './json-response';
import { guardSlackRequest, type SlackRequestGuardOptions } from './slack-request-guard';

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

export interface HttpServerOptions {
  /** Bolt's listener for Slack requests; absent in Socket Mode and for worker-only processes. */
  slackListener: RequestListener | undefined;
  /**
   * OAuth mode: Bolt's install page and OAuth redirect (GET, opened in a browser, so never signed);
   * they go to `slackListener` without `slackGuard`.
   */
  installPaths?: string[];
  /** Checks every Slack request before Bolt sees it (HTTP mode). */
  slackGuard?: SlackRequestGuardOptions;
  /** GET /readyz; absent (404) when METRICS_PORT moves it to its own listener (`createMetricsServer`). */
  readiness?: () => Promise<Readiness>;
  logger: Logger;
  /** Prometheus text for GET /metrics; absent (404) when METRICS_PORT moves it. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /**
   * The queue dashboard under /admin/queues; absent (404) unless ADMIN_PASSWORD is set, and when
   * ADMIN_PORT moves it to its own listener (`createAdminServer`).
   */
  adminDashboard?: AdminDashboard;
  /** `POST /mcp` (MCP over Streamable HTTP, behind MCP_TOKEN); absent (404) when MCP_TOKEN is unset. */
  mcp?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Tests shorten these; production uses HTTP_SERVER_LIMITS. */
  limits?: Partial<HttpServerLimits>;
}

export interface HttpServerLimits {
  /** Time a client has to send all of a request's headers (slowloris). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** How often Node looks for requests past the two timeouts above; they can overrun by this much. */
  checkIntervalMs: number;
}

/**
 * Node's defaults (60 s for headers, 300 s for a request, 5 s keep-alive) let a slow client hold a
 * connection for minutes and race a load balancer's idle timeout. Slack's requests are at most 1 MB and
 * arrive in well under a second, and probes and the dashboard send no body, so:
 * - headers within 10 s, a whole request within 30 s;
 * - idle keep-alive connections kept 65 s, longer than the 60 s idle timeout of AWS load balancers and
 *   nginx, so the proxy, not this server, closes an idle connection (otherwise it can send a request on
 *   a connection this server is closing and answer 502);
 * - timeouts checked every second (Node's default is every 30 s).
 */
export const HTTP_SERVER_LIMITS: HttpServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  checkIntervalMs: 1_000,
};

/** The process's HTTP server: health and readiness in every mode, Slack's requests in HTTP mode. */
export function createHttpServer(options: HttpServerOptions): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (await serveOperations(req, res, path, options)) return;
    if (options.adminDashboard?.matches(path)) return options.adminDashboard.handle(req, res);
    if (path === '/mcp' && options.mcp) return options.mcp(req, res);
    if (req.method === 'GET' && path && options.installPaths?.includes(path) && options.slackListener)
      return options.slackListener(req, res);
    if (path === '/slack/events' && options.slackListener) {
      if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
      if (options.slackGuard) {
        const guarded = await guardSlackRequest(req, options.slackGuard);
        if (!guarded.ok) {
          options.logger.warn(
            { status: guarded.refusal.status, reason: guarded.refusal.reason },
            'Slack request refused',
          );
          // A body too large was left unread: close the connection rather than let Node drain it.
          const close: Record<string, string> = guarded.refusal.status === 413 ? { connection: 'close' } : {};
          return json(res, guarded.refusal.status, { error: guarded.refusal.reason }, close);
        }
        // Bolt reads an already-buffered body from `rawBody` instead of the (consumed) stream.
        Object.assign(req, { rawBody: guarded.rawBody });
      }
      return options.slackListener(req, res);
    }
    return json(res, 404, { error: 'not found' });
  };
  return serve(handle, options.logger, options.limits);
}

/** /healthz, and /readyz and /metrics when given; whether the request was one of them. */
async function serveOperations(
  req: IncomingMessage,
  res: ServerResponse,
  path: string | undefined,
  options: Pick<HttpServerOptions, 'readiness' | 'metrics'>,
): Promise<boolean> {
  if (req.method !== 'GET') return false;
  if (path === '/healthz') {
    json(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/readyz' && options.readiness) {
    const readiness = await options.readiness();
    json(res, readiness.ready ? 200 : 503, {
      status: readiness.ready ? 'ready' : 'not ready',
      checks: readiness.checks,
    });
    return true;
  }
  if (path === '/metrics' && options.metrics) {
    const metrics = await options.metrics();
    res.writeHead(200, { 'content-type': metrics.contentType });
    res.end(metrics.body);
    return true;
  }
  return false;
}

/**
 * For METRICS_PORT: /healthz, /readyz and /metrics on an address the cluster's probes and Prometheus
 * reach and the public ingress does not; PORT then answers 404 for the last two.
 */
export function createMetricsServer(options: {
  readiness: () => Promise<Readiness>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  logger: Logger;
  limits?: Partial<HttpServerLimits>;
}): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (await serveOperations(req, res, path, options)) return;
    json(res, 404, { error: 'not found' });
  };
  return serve(handle, options.logger, options.limits);
}

/**
 * The queue dashboard alone, for ADMIN_PORT: an address operators reach and Slack never does. Every
 * other path is 404 here, and the dashboard is 404 on the public server.
 */
export function createAdminServer(options: {
  adminDashboard: AdminDashboard;
  logger: Logger;
  limits?: Partial<HttpServerLimits>;
}): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (options.adminDashboard.matches(path)) return options.adminDashboard.handle(req, res);
    return json(res, 404, { error: 'not found' });
  };
  return serve(handle, options.logger, options.limits);
}

/** Resolves with the port listened on (the one the system chose when `port` is 0). */
export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function serve(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
  logger: Logger,
  overrides: Partial<HttpServerLimits> = {},
): Server {
  const limits = { ...HTTP_SERVER_LIMITS, ...overrides };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        logger.error(
          { err: error instanceof Error ? error.message : String(error), path: req.url },
          'HTTP handler failed',
        );
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      });
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  return server;
}
