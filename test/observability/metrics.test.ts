import type { FetchFunction } from '@slack/web-api';
import { ArchitectMetrics } from '../../src/observability/metrics';
import { sample } from './prometheus-text';

const body = async (m: ArchitectMetrics) => (await m.render()).body;
const jsonResponse = (status: number, payload: unknown) =>
  new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });

describe('ArchitectMetrics', () => {
  it('gives every instance its own registry, so two apps in one process do not collide', async () => {
    const a = new ArchitectMetrics();
    const b = new ArchitectMetrics({ processMetrics: false });
    a.recordRefusal('rate_limit');
    expect(sample(await body(a), 'architect_refusals_total', { reason: 'rate_limit' })).toBe(1);
    expect(sample(await body(b), 'architect_refusals_total', { reason: 'rate_limit' })).toBeUndefined();
  });

  it('counts Slack requests and their failures by method, leaving the body for the SDK', async () => {
    const m = new ArchitectMetrics({ processMetrics: false });
    const answers = [
      jsonResponse(200, { ok: true, ts: '1.2' }),
      jsonResponse(200, { ok: false, error: 'channel_not_found' }),
      jsonResponse(429, { ok: false, error: 'ratelimited' }),
      jsonResponse(503, {}),
    ];
    const underlying: FetchFunction = async (url) => {
      if (String(url).includes('users.info')) throw new TypeError('fetch failed');
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next;
    };
    const fetch = m.slackFetch(underlying);
    const first = await fetch('https://slack.com/api/chat.postMessage', { method: 'POST' });
    expect(await first.json()).toEqual({ ok: true, ts: '1.2' });
    const second = await fetch('https://slack.com/api/chat.postMessage', { method: 'POST' });
    expect(await second.json()).toEqual({ ok: false, error: 'channel_not_found' });
    await fetch('https://slack.com/api/chat.update');
    await fetch('https://files.slack.com/upload/v1/abc');
    await expect(fetch('https://slack.com/api/users.info')).rejects.toThrow('fetch failed');

    const text = await body(m);
    expect(sample(text, 'architect_slack_api_calls_total', { method: 'chat.postMessage' })).toBe(2);
    expect(sample(text, 'architect_slack_api_calls_total', { method: 'other' })).toBe(1);
    const errors = (method: string, error: string) =>
      sample(text, 'architect_slack_api_errors_total', { method, error });
    expect(errors('chat.postMessage', 'channel_not_found')).toBe(1);
    expect(errors('chat.update', 'ratelimited')).toBe(1);
    expect(errors('other', 'http_503')).toBe(1);
    expect(errors('users.info', 'request_error')).toBe(1);
  });

  it('records an attempt that throws as outcome "error" and times only first attempts', async () => {
    const m = new ArchitectMetrics({ processMetrics: false });
    const data = { trigger: 'mention', agentName: 'a', requestedAt: Date.now() };
    const failing = m.observeConsultation({ data, timestamp: Date.now(), attemptsMade: 0 }, async () => {
      throw new Error('Slack went away');
    });
    await expect(failing).rejects.toThrow('Slack went away');
    await m.observeConsultation({ data, timestamp: Date.now(), attemptsMade: 1 }, async () => 'delivered');
    await m.observeConsultation(
      { data: 'garbage', timestamp: Date.now(), attemptsMade: 0 },
      async () => 'failed',
    );

    const text = await body(m);
    const count = (labels: Record<string, string>) => sample(text, 'architect_consultations_total', labels);
    expect(count({ trigger: 'mention', outcome: 'error' })).toBe(1);
    expect(count({ trigger: 'mention', outcome: 'delivered' })).toBe(1);
    expect(count({ trigger: 'unknown', agent: 'unknown', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'architect_queue_wait_seconds_count', { trigger: 'mention' })).toBe(1);
    expect(sample(text, 'architect_consultation_duration_seconds_count', { trigger: 'mention' })).toBe(1);
  });
});
