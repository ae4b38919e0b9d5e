import { harnessForEachTest, startHarness } from '../helpers/architect-harness';
import { slashCommand } from '../helpers/slack-actions';
import { waitForCommandThread, waitForReview, waitUntil } from '../helpers/waits';
import { sample, scrape as scrapeAt } from './prometheus-text';

describe('GET /metrics', () => {
  const app = harnessForEachTest();

  const scrape = () => scrapeAt(app.h.baseUrl);

  it('exposes consultations, timings, queue depth, tokens and Slack calls after a consultation', async () => {
    const { h } = app;
    // One failing Slack call (tolerated by the worker) so the error series has something to show.
    h.slack.failNext('users.info', { error: 'user_not_found' });
    await slashCommand(h, 'review One Postgres for everything.');
    await waitForReview(h, (await waitForCommandThread(h)).threadTs);
    // The job's outcome is counted when the processor returns, just after the last Slack call.
    const scraped = await waitUntil(async () => {
      const body = await scrape();
      return sample(body, 'architect_consultations_total', { outcome: 'delivered' }) === 1 ? body : false;
    });

    expect(
      sample(scraped, 'architect_consultations_total', {
        trigger: 'command',
        agent: 'backend-architect',
        outcome: 'delivered',
      }),
    ).toBe(1);
    expect(sample(scraped, 'architect_queue_wait_seconds_count', { trigger: 'command' })).toBe(1);
    expect(sample(scraped, 'architect_model_duration_seconds_count')).toBe(1);
    expect(
      sample(scraped, 'architect_consultation_duration_seconds_count', {
        trigger: 'command',
        outcome: 'delivered',
      }),
    ).toBe(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
      expect(sample(scraped, 'architect_queue_jobs', { state })).toEqual(expect.any(Number));
    }
    for (const kind of ['input', 'output']) {
      expect(sample(scraped, 'architect_claude_tokens_total', { kind })).toBeGreaterThan(0);
    }
    expect(scraped).toContain('# TYPE architect_claude_tokens_total counter');
    expect(sample(scraped, 'architect_slack_api_calls_total', { method: 'chat.postMessage' })).toBe(
      h.slack.callsTo('chat.postMessage').length,
    );
    expect(sample(scraped, 'architect_slack_api_calls_total', { method: 'chat.update' })).toBeGreaterThan(0);
    expect(
      sample(scraped, 'architect_slack_api_errors_total', { method: 'users.info', error: 'user_not_found' }),
    ).toBe(1);
    expect(scraped).toContain('# TYPE architect_refusals_total counter');
    expect(scraped).toMatch(/^process_cpu_user_seconds_total /m);
    expect(scraped).toMatch(/^nodejs_heap_size_used_bytes /m);
  });
});

describe('GET /metrics without Redis', () => {
  it('still answers, without the queue-depth samples', async () => {
    // Nothing listens on port 1: the scrape must not fail or hang because the queue cannot be counted.
    const h = await startHarness({ REDIS_URL: 'redis://127.0.0.1:1', ROLE: 'web' });
    try {
      const body = await scrapeAt(h.baseUrl);
      expect(body).toContain('# TYPE architect_queue_jobs gauge');
      expect(sample(body, 'architect_queue_jobs', { state: 'waiting' })).toBeUndefined();
    } finally {
      await h.stop();
    }
  });
});
