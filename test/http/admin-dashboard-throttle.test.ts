import { randomUUID } from 'node:crypto';
import { request, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { createAdminDashboard } from '../../src/http/admin-dashboard';
import { createAdminServer, listen } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';

const PASSWORD = 'correct-horse-battery';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

interface Answer {
  status: number;
  retryAfter: string | undefined;
}

/** GET through a fresh connection from `from` (any 127.x address is this machine on Linux). */
function get(port: number, authorization: string | undefined, from = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/admin/queues/api/queues',
        localAddress: from,
        agent: false,
        headers: authorization ? { authorization } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('wrong passwords at the queue dashboard are throttled per client address', () => {
  const prefix = `architect-test-${randomUUID().slice(0, 8)}`;
  let queue: Queue;
  let server: Server;
  let port: number;
  let now: number;

  beforeAll(async () => {
    queue = new Queue(CONSULTATION_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix });
  });
  beforeEach(async () => {
    now = 1_800_000_000_000;
    // A new dashboard per test: each starts with a clean slate of failures.
    const dashboard = createAdminDashboard({ queue, password: PASSWORD, throttle: { now: () => now } });
    server = createAdminServer({
      adminDashboard: dashboard,
      logger: createLogger({
        level: 'silent',
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
    });
    port = await listen(server, 0, '127.0.0.1');
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(async () => {
    await queue.close();
    await deleteKeysWithPrefix(prefix);
  });

  const wrong = (n: number) => basic(`wrong-password-${n}`);

  it('checks five wrong passwords, then answers 429 with Retry-After, even to the right one', async () => {
    for (let n = 0; n < 5; n++)
      expect(await get(port, wrong(n))).toEqual({ status: 401, retryAfter: undefined });
    // The fifth failure bought a one-second wait; during it no password is even checked.
    expect(await get(port, wrong(5))).toEqual({ status: 429, retryAfter: '1' });
    expect(await get(port, basic(PASSWORD))).toEqual({ status: 429, retryAfter: '1' });
    now += 1000;
    expect((await get(port, basic(PASSWORD))).status).toBe(200);
  });

  it('doubles the wait with every further wrong password, up to five minutes', async () => {
    for (let n = 0; n < 4; n++) await get(port, wrong(n));
    const waits: string[] = [];
    for (let n = 4; n < 15; n++) {
      expect((await get(port, wrong(n))).status).toBe(401);
      const refused = await get(port, wrong(n));
      expect(refused.status).toBe(429);
      waits.push(refused.retryAfter ?? '');
      now += Number(refused.retryAfter) * 1000;
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '64', '128', '256', '300', '300']);
  });

  it('forgets the failures after the right password', async () => {
    for (let n = 0; n < 4; n++) await get(port, wrong(n));
    expect((await get(port, basic(PASSWORD))).status).toBe(200);
    for (let n = 0; n < 5; n++) expect((await get(port, wrong(n))).status).toBe(401);
  });

  it('does not count a request without credentials (a browser’s first request)', async () => {
    for (let n = 0; n < 20; n++) expect((await get(port, undefined)).status).toBe(401);
    expect((await get(port, basic(PASSWORD))).status).toBe(200);
  });

  it('throttles one address without locking out another', async () => {
    for (let n = 0; n < 5; n++) await get(port, wrong(n), '127.0.0.2');
    expect((await get(port, basic(PASSWORD), '127.0.0.2')).status).toBe(429);
    expect((await get(port, basic(PASSWORD), '127.0.0.3')).status).toBe(200);
  });

  it('remembers an address through a quiet hour: waiting does not buy five more free guesses', async () => {
    for (let n = 0; n < 5; n++) await get(port, wrong(n), '127.0.0.4');
    now += 60 * 60 * 1000;
    expect((await get(port, wrong(5), '127.0.0.4')).status).toBe(401);
    const next = await get(port, wrong(6), '127.0.0.4');
    expect(next.status).toBe(429);
    expect(next.retryAfter).toBe('2');
  });

  it('slows guesses spread over many addresses too', async () => {
    const statuses: Record<number, number> = {};
    // Four wrong passwords from each of 20 addresses: none is throttled on its own.
    for (let a = 10; a < 30; a++) {
      for (let n = 0; n < 4; n++) {
        const { status } = await get(port, wrong(n), `127.0.1.${a}`);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
    expect(statuses[401]).toBe(50);
    expect(statuses[429]).toBe(30);
  });

  it('checks only five of 500 wrong passwords sent in a burst', async () => {
    const statuses: Record<number, number> = {};
    for (let n = 0; n < 500; n++) {
      const { status } = await get(port, wrong(n));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    expect(statuses).toEqual({ 401: 5, 429: 495 });
  });
});
