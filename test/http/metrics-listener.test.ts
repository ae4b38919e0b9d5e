import { type Harness, startHarness } from '../helpers/architect-harness';

describe('METRICS_PORT: readiness and metrics on an internal listener of their own', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  it('serves /readyz and /metrics there, and the public port answers 404 for them but keeps /healthz', async () => {
    h = await startHarness({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    const internal = `http://127.0.0.1:${h.architect.metricsPort}`;
    expect((await fetch(`${internal}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${internal}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('architect_');
    expect((await fetch(`${h.baseUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${internal}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('without it, both stay on PORT as before', async () => {
    h = await startHarness();
    expect(h.architect.metricsPort).toBeUndefined();
    expect((await fetch(`${h.baseUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
  });
});
