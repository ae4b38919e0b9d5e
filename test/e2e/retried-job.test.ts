import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { CHANNEL, USER } from '../helpers/slack-payloads';

/** A thread whose review is already in it, as a worker that died before marking its job done left it. */
function threadWithReview(h: Harness): { threadTs: string; reviewTs: string } {
  const threadTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
  const reviewTs = h.slack.addMessage(CHANNEL, {
    bot_id: 'BBOT',
    user: 'UBOT',
    text: 'Architecture review by backend-architect: done',
    thread_ts: threadTs,
  });
  return { threadTs, reviewTs };
}

/** Puts `data` in the app's queue as another producer would, and waits for the job's outcome. */
async function runJob(h: Harness, data: Record<string, unknown>): Promise<unknown> {
  const connection = { url: TEST_REDIS_URL };
  const queue = new Queue<Record<string, unknown>>(CONSULTATION_QUEUE, { connection, prefix: h.prefix });
  const events = new QueueEvents(CONSULTATION_QUEUE, { connection, prefix: h.prefix });
  try {
    await events.waitUntilReady();
    const job = await queue.add('consultation', data);
    return await job.waitUntilFinished(events, 10_000);
  } finally {
    await Promise.all([queue.close(), events.close()]);
  }
}

const asked = (threadTs: string) => ({
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
});

describe('a job run again after its review was delivered (a worker died before marking it done)', () => {
  const h = perTest(startHarness, (h) => h.stop());

  it('leaves the delivered review alone and asks Claude nothing', async () => {
    const { threadTs, reviewTs } = threadWithReview(h);
    const outcome = await runJob(h, {
      request: asked(threadTs),
      checkpoints: { placeholderTs: reviewTs, deliveredTs: [reviewTs] },
    });
    expect(outcome).toBe('already_delivered');
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.claude.requests).toHaveLength(0);
  });

  it('reads a job queued before the request and the checkpoints were two objects, and resumes it', async () => {
    const { threadTs, reviewTs } = threadWithReview(h);
    // The flat shape a job had when the previous version of Architect queued it.
    const outcome = await runJob(h, { ...asked(threadTs), placeholderTs: reviewTs, deliveredTs: [reviewTs] });
    expect(outcome).toBe('already_delivered');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.claude.requests).toHaveLength(0);
  });
});
