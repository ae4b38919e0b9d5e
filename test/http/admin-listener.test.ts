import { ConfigError, loadConfig } from '../../src/config/config';
import { type Harness, startHarness } from '../helpers/architect-harness';

const PASSWORD = 'correct-horse-battery';
const authorization = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const REQUIRED = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ANTHROPIC_API_KEY: 'k' };

describe('ADMIN_PORT: the queue dashboard on an internal listener of its own', () => {
  let h: Harness;
  let adminUrl: string;
  beforeAll(async () => {
    h = await startHarness({ ADMIN_PASSWORD: PASSWORD, ADMIN_PORT: '0' });
    adminUrl = `http://127.0.0.1:${h.architect.adminPort}`;
  });
  afterAll(async () => {
    await h.stop();
  });

  it('serves the dashboard there, with the password', async () => {
    const page = await fetch(`${adminUrl}/admin/queues`, { headers: { authorization } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/admin/queues');
    expect((await fetch(`${adminUrl}/admin/queues`)).status).toBe(401);
  });

  it('answers 404 for the dashboard on the public port', async () => {
    expect(h.architect.adminPort).not.toBe(h.architect.port);
    const res = await fetch(`${h.baseUrl}/admin/queues`, { headers: { authorization } });
    expect(res.status).toBe(404);
  });

  it('serves nothing else on the internal listener, and the public port keeps its endpoints', async () => {
    expect((await fetch(`${adminUrl}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${adminUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it('binds to 127.0.0.1 unless ADMIN_HOST says otherwise', () => {
    expect(loadConfig({ ...REQUIRED, ADMIN_PASSWORD: PASSWORD, ADMIN_PORT: '3001' }).adminListener).toEqual({
      port: 3001,
      host: '127.0.0.1',
    });
    expect(
      loadConfig({ ...REQUIRED, ADMIN_PASSWORD: PASSWORD, ADMIN_PORT: '3001', ADMIN_HOST: '10.0.0.5' })
        .adminListener,
    ).toEqual({ port: 3001, host: '10.0.0.5' });
    expect(loadConfig({ ...REQUIRED, ADMIN_PASSWORD: PASSWORD }).adminListener).toBeUndefined();
  });

  it('refuses ADMIN_PORT without ADMIN_PASSWORD, and ADMIN_HOST without ADMIN_PORT, saying why', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...REQUIRED, ...env });
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : ['not a ConfigError'];
      }
    };
    expect(problems({ ADMIN_PORT: '3001' })).toEqual([
      'ADMIN_PORT serves the queue dashboard, which is off without ADMIN_PASSWORD',
    ]);
    expect(problems({ ADMIN_PASSWORD: PASSWORD, ADMIN_HOST: '10.0.0.5' })).toEqual([
      'ADMIN_HOST needs ADMIN_PORT (the dashboard stays on PORT without it)',
    ]);
    expect(problems({ ADMIN_PASSWORD: PASSWORD, ADMIN_PORT: 'abc' })[0]).toMatch(/^ADMIN_PORT /);
  });
});
