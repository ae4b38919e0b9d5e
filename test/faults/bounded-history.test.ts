import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { botReplies, mention } from '../helpers/slack-actions';
import { waitForFailure, waitForReview, waitUntilIdle } from '../helpers/waits';
import { faultHarnessForEachTest } from './fault-helpers';

/** The job hashes kept under the harness's prefix (`<prefix>:consultations:<job id>`). */
async function keptJobIds(prefix: string): Promise<string[]> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}:consultations:*`);
    const ids: string[] = [];
    for (const key of keys) {
      const id = key.slice(`${prefix}:consultations:`.length);
      if (id.includes(':') || (await redis.type(key)) !== 'hash' || !(await redis.hexists(key, 'data')))
        continue;
      ids.push(id);
    }
    return ids;
  } finally {
    redis.disconnect();
  }
}

describe('finished jobs are kept in bounded number', () => {
  const fault = faultHarnessForEachTest({ lazy: true });

  it('with KEEP_COMPLETED_JOBS=3, six consultations leave at most three completed jobs in Redis', async () => {
    await fault.start({ KEEP_COMPLETED_JOBS: '3' });
    const { h, queue } = fault;
    for (let i = 0; i < 6; i++) {
      const ts = await mention(h, { text: `<@UBOT> design number ${i}: one queue per tenant` });
      await waitForReview(h, ts);
      expect(botReplies(h, ts)).toHaveLength(1);
    }
    const counts = await waitUntilIdle(queue);
    expect(counts.completed).toBeLessThanOrEqual(3);
    expect((await keptJobIds(h.prefix)).length).toBeLessThanOrEqual(3);
    expect(h.claude.requests).toHaveLength(6);
  });

  it('with KEEP_FAILED_JOBS=2, five failed consultations leave at most two failed jobs in Redis', async () => {
    await fault.start({ KEEP_FAILED_JOBS: '2', JOB_ATTEMPTS: '1' });
    const { h, queue } = fault;
    for (let i = 0; i < 5; i++) {
      // Slack refuses to show the thread: the attempt fails, and with one attempt allowed, the job.
      h.slack.failNext('conversations.replies', { error: 'not_in_channel' });
      const ts = await mention(h, { text: `<@UBOT> design number ${i}: one queue per tenant` });
      await waitForFailure(h, ts);
      expect(botReplies(h, ts)).toHaveLength(1);
    }
    const counts = await waitUntilIdle(queue);
    expect(counts.failed).toBeLessThanOrEqual(2);
    expect((await keptJobIds(h.prefix)).length).toBeLessThanOrEqual(2);
    expect(h.claude.requests).toHaveLength(0);
  });
});
