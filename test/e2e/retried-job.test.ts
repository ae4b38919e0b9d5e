import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { CONSULTATION_QUEUE, type ConsultationJob } from '../../src/queue/consultation-job';
import { startHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { CHANNEL, USER } from '../helpers/slack-payloads';

describe('a job run again after its review was delivered (a worker died before marking it done)', () => {
  const h = perTest(startHarness, (h) => h.stop());

  it('leaves the delivered review alone and asks Claude nothing', async () => {
    const threadTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    const reviewTs = h.slack.addMessage(CHANNEL, {
      bot_id: 'BBOT',
      user: 'UBOT',
      text: 'Architecture review by backend-architect: done',
      thread_ts: threadTs,
    });
    const connection = { url: TEST_REDIS_URL };
    const queue = new Queue<ConsultationJob>(CONSULTATION_QUEUE, { connection, prefix: h.prefix });
    const events = new QueueEvents(CONSULTATION_QUEUE, { connection, prefix: h.prefix });
    try {
      await events.waitUntilReady();
      const job = await queue.add('consultation', {
        request: {
          requestId: randomUUID(),
          trigger: 'mention',
          teamId: 'T0001',
          channelId: CHANNEL,
          userId: USER,
          agentName: 'backend-architect',
          text: '',
          threadTs,
          messageTs: threadTs,
          requestedAt: Date.now(),
        },
        checkpoints: { placeholderTs: reviewTs, deliveredTs: [reviewTs] },
      });
      await expect(job.waitUntilFinished(events, 10_000)).resolves.toBe('already_delivered');
    } finally {
      await Promise.all([queue.close(), events.close()]);
    }
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.claude.requests).toHaveLength(0);
  });

  it('reads a job queued before the request and the checkpoints were two objects, and resumes it', async () => {
    const threadTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    const reviewTs = h.slack.addMessage(CHANNEL, {
      bot_id: 'BBOT',
      user: 'UBOT',
      text: 'Architecture review by backend-architect: done',
      thread_ts: threadTs,
    });
    const connection = { url: TEST_REDIS_URL };
    const queue = new Queue<Record<string, unknown>>(CONSULTATION_QUEUE, { connection, prefix: h.prefix });
    const events = new QueueEvents(CONSULTATION_QUEUE, { connection, prefix: h.prefix });
    try {
      await events.waitUntilReady();
      // The flat shape a job had when it was queued by the previous version of Architect.
      const job = await queue.add('consultation', {
        requestId: randomUUID(),
        trigger: 'mention',
        teamId: 'T0001',
        channelId: CHANNEL,
        userId: USER,
        agentName: 'backend-architect',
        text: '',
        threadTs,
        messageTs: threadTs,
        placeholderTs: reviewTs,
        deliveredTs: [reviewTs],
        requestedAt: Date.now(),
      });
      await expect(job.waitUntilFinished(events, 10_000)).resolves.toBe('already_delivered');
    } finally {
      await Promise.all([queue.close(), events.close()]);
    }
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.claude.requests).toHaveLength(0);
  });
});
