import { botReplies, isReview, mention } from '../helpers/slack-actions';
import { CHANNEL, USER } from '../helpers/slack-payloads';
import { waitForReview, waitUntilIdle } from '../helpers/waits';
import { faultHarnessForEachTest } from './fault-helpers';

/** Job data another producer (an old version, a bad script, a corrupted Redis) might leave in the queue. */
const JUNK: { name: string; data: unknown; problem: RegExp }[] = [
  { name: 'empty object', data: {}, problem: /requestId/ },
  { name: 'a bare string', data: 'review my design', problem: /expected object/i },
  { name: 'null', data: null, problem: /expected object/i },
  {
    name: 'wrong types',
    data: {
      requestId: 42,
      trigger: 'command',
      teamId: 'T1',
      channelId: CHANNEL,
      userId: USER,
      agentName: 'x',
    },
    problem: /requestId/,
  },
  {
    name: 'a hostile channel id',
    data: {
      requestId: 'junk-1',
      trigger: 'mention',
      teamId: 'T0001',
      channelId: '../../admin',
      userId: USER,
      agentName: 'backend-architect',
      text: 'hi',
      threadTs: '1700000000.000100',
      requestedAt: Date.now(),
    },
    problem: /channelId/,
  },
  {
    name: 'an unknown trigger',
    data: {
      requestId: 'junk-2',
      trigger: 'rm -rf',
      teamId: 'T0001',
      channelId: CHANNEL,
      userId: USER,
      agentName: 'backend-architect',
      text: 'hi',
      requestedAt: Date.now(),
    },
    problem: /trigger/,
  },
];

describe('malformed job data in the queue', () => {
  const fault = faultHarnessForEachTest();

  it('is logged as a clear error naming the problem, dropped without retries, and the worker keeps reviewing', async () => {
    const { h, queue } = fault;
    for (const junk of JUNK)
      await queue.add('consultation', junk.data, { jobId: `junk-${junk.name}`, attempts: 3 });
    await waitUntilIdle(queue);

    const errors = h.logs.lines.filter((l) => /malformed consultation job data/.test(String(l.msg)));
    for (const junk of JUNK) {
      const line = errors.find((l) => l.jobId === `junk-${junk.name}`);
      expect(line).toMatchObject({ level: 50 });
      expect(JSON.stringify(line?.issues)).toMatch(junk.problem);
    }
    // Each was tried once: junk does not get better with retries.
    expect(errors).toHaveLength(JUNK.length);
    expect((await queue.getJobCounts('failed')).failed).toBe(JUNK.length);
    // Nothing was sent anywhere on the junk's behalf.
    expect(h.claude.requests).toHaveLength(0);
    expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);

    const ts = await mention(h);
    await waitForReview(h, ts);
    expect(await waitUntilIdle(queue)).toMatchObject({ completed: 1, failed: JUNK.length });
    expect(botReplies(h, ts).filter(isReview)).toHaveLength(1);
    expect(botReplies(h, ts)).toHaveLength(1);
  });
});
