import { type Harness, startHarness } from '../helpers/architect-harness';

const PASSWORD = 'correct-horse-battery';
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
