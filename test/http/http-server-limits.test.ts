import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createHttpServer, type HttpServerLimits, listen } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { rawConnect } from './raw-socket';

const logger = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_chunk, _enc, done) => done() }),
});

/** The real server with health checks and a Slack endpoint whose guard reads the body. */
function startServer(limits?: Partial<HttpServerLimits>): Server {
  return createHttpServer({
    slackListener: (_req, res) => res.end('ok'),
    slackGuard: { signingSecret: 'limits-test-secret', bodyLimitBytes: 1024 },
    readiness: async () => ({ ready: true, checks: {} }),
    logger,
    ...(limits ? { limits } : {}),
  });
}

describe('the HTTP server’s limits on slow and idle clients', () => {
  const servers: Server[] = [];
  const started = async (limits?: Partial<HttpServerLimits>) => {
    const server = startServer(limits);
    servers.push(server);
    return listen(server, 0, '127.0.0.1');
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sets the documented timeouts instead of Node’s defaults (60 s, 300 s, 5 s)', () => {
    const server = startServer();
    servers.push(server);
    expect({
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
    }).toEqual({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 65_000 });
  });

  it('answers 408 and closes a connection whose headers never finish (slowloris)', async () => {
    const port = await started({ headersTimeoutMs: 200, requestTimeoutMs: 400, checkIntervalMs: 50 });
    const client = await rawConnect(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n');
    const seen = await client.closed;
    expect(seen).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a connection whose body never arrives in full', async () => {
    const port = await started({ headersTimeoutMs: 200, requestTimeoutMs: 400, checkIntervalMs: 50 });
    const client = await rawConnect(
      port,
      'POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":',
    );
    const seen = await client.closed;
    expect(seen).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps an idle keep-alive connection open past the headers timeout for the next request', async () => {
    const port = await started({ headersTimeoutMs: 100, requestTimeoutMs: 200, checkIntervalMs: 20 });
    const request = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const client = await rawConnect(port, request);
    await client.waitFor('{"status":"ok"}');
    // Idle for several headers timeouts and checks: only keepAliveTimeout (65 s) governs this wait.
    await new Promise((resolve) => setTimeout(resolve, 400));
    client.socket.write(request);
    const both = await client.waitFor(/"ok"\}[\s\S]*"ok"\}/);
    expect(both.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    client.socket.destroy();
  });
});
