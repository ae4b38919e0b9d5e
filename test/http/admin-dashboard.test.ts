import { type Harness, startHarness } from '../helpers/architect-harness';

const PASSWORD = 'correct-horse-battery';
/** The part of Bull Board's queue listing these tests read. */
interface QueueView {
  readOnlyMode: boolean;
  isPaused: boolean;
  counts: Record<string, number>;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the queue dashboard at /admin/queues', () => {
  describe('with ADMIN_PASSWORD set', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ ADMIN_PASSWORD: PASSWORD });
    });
    afterAll(async () => {
      await h.stop();
    });

    it('refuses a request without the password, asking for basic auth', async () => {
      const res = await fetch(`${h.baseUrl}/admin/queues`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await res.text()).not.toContain('<html');
    });

    it('refuses a wrong password and a malformed header', async () => {
      for (const authorization of [
        basic('admin', 'wrong-password-here'),
        basic('admin', ''),
        'Bearer x',
        'Basic !!',
      ]) {
        const res = await fetch(`${h.baseUrl}/admin/queues/api/queues`, { headers: { authorization } });
        expect(res.status).toBe(401);
      }
    });

    it('serves the dashboard and its API with the password', async () => {
      const page = await fetch(`${h.baseUrl}/admin/queues`, {
        headers: { authorization: basic('admin', PASSWORD) },
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('/admin/queues');

      const api = await fetch(`${h.baseUrl}/admin/queues/api/queues`, {
        headers: { authorization: basic('ops', PASSWORD) },
      });
      expect(api.status).toBe(200);
      const body = (await api.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name)).toEqual(['consultations']);
    });

    it('is read-only: no method but GET and HEAD gets through, so no job can be forged or changed', async () => {
      const authorization = basic('admin', PASSWORD);
      const forged = JSON.stringify({ name: 'forged', data: { channelId: 'C0PRIVATE', threadTs: '1.2' } });
      const attempts: [string, string, string | undefined][] = [
        // text/plain is what a cross-site form or fetch can send without a preflight.
        ['POST', '/api/queues/consultations/add', 'text/plain'],
        ['POST', '/api/queues/consultations/add', 'application/json'],
        ['PUT', '/api/queues/consultations/retry/failed', undefined],
        ['PUT', '/api/queues/consultations/promote', undefined],
        ['PUT', '/api/queues/consultations/clean/completed', undefined],
        ['PUT', '/api/queues/consultations/pause', undefined],
        ['PATCH', '/api/queues/consultations/1/update-data', 'application/json'],
        ['DELETE', '', undefined],
      ];
      for (const [method, path, contentType] of attempts) {
        const res = await fetch(`${h.baseUrl}/admin/queues${path}`, {
          method,
          headers: { authorization, ...(contentType ? { 'content-type': contentType } : {}) },
          ...(contentType ? { body: forged } : {}),
        });
        expect([method, path, res.status, res.headers.get('allow')]).toEqual([
          method,
          path,
          405,
          'GET, HEAD',
        ]);
      }
      const api = await fetch(`${h.baseUrl}/admin/queues/api/queues`, { headers: { authorization } });
      const [queue] = ((await api.json()) as { queues: QueueView[] }).queues;
      expect(queue?.readOnlyMode).toBe(true);
      expect(queue?.isPaused).toBe(false);
      expect(Object.values(queue?.counts ?? { missing: 1 }).every((count) => count === 0)).toBe(true);
      expect(
        (await fetch(`${h.baseUrl}/admin/queues`, { method: 'HEAD', headers: { authorization } })).status,
      ).toBe(200);
    });

    it('forbids framing by other sites, on the page and on the password prompt', async () => {
      const page = await fetch(`${h.baseUrl}/admin/queues`, {
        headers: { authorization: basic('admin', PASSWORD) },
      });
      const prompt = await fetch(`${h.baseUrl}/admin/queues`);
      for (const res of [page, prompt]) {
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      expect([page.status, prompt.status]).toEqual([200, 401]);
    });
  });

  it('is off (404) when ADMIN_PASSWORD is not set', async () => {
    const h = await startHarness({ ROLE: 'web' });
    try {
      const res = await fetch(`${h.baseUrl}/admin/queues`, {
        headers: { authorization: basic('admin', PASSWORD) },
      });
      expect(res.status).toBe(404);
    } finally {
      await h.stop();
    }
  });
});
