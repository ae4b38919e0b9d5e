import { processConsultation } from '../../src/worker/process-consultation';
import { sampleReview } from '../fixtures/sample-review';
import { perTest } from '../helpers/per-test';
import { CHANNEL, TEAM, USER } from '../helpers/slack-payloads';
import { startWorkerStages } from '../helpers/worker-stages';

describe('a consultation, stage after stage', () => {
  const kit = perTest(startWorkerStages, (kit) => kit.close());

  it('answers a mention with one review in the placeholder’s place, stored for its buttons', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, {
      user: USER,
      text: 'One Postgres for orders and billing?',
    });
    kit.claude.enqueue({ kind: 'review', review: sampleReview() });
    const run = kit.run({ threadTs: rootTs, messageTs: rootTs });

    await expect(processConsultation(run, kit.deps)).resolves.toBe('delivered');

    const replies = kit.slack.threadMessages(CHANNEL, rootTs).slice(1);
    expect(replies.map((m) => m.ts)).toEqual(run.checkpoints.deliveredTs);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('read replica');
    expect(kit.claude.requests).toHaveLength(1);
    await expect(kit.reviews.get(run.request.requestId)).resolves.toMatchObject({ threadTs: rootTs });
  });

  it('turns a Claude failure into a plain-language error with Retry in the placeholder', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    kit.claude.enqueue({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long',
    });
    const run = kit.run({ threadTs: rootTs, messageTs: rootTs });

    await expect(processConsultation(run, kit.deps)).resolves.toBe('failed');

    const [failure] = kit.slack.threadMessages(CHANNEL, rootTs).slice(1);
    expect(JSON.stringify(failure?.blocks)).toContain(run.request.requestId);
    expect(run.checkpoints.deliveredTs).toEqual([failure?.ts]);
  });

  it('says so in the placeholder when the agent is no longer loaded, without asking Claude', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    const run = kit.run({ threadTs: rootTs, messageTs: rootTs, agentName: 'retired-agent' });
    await expect(processConsultation(run, kit.deps)).resolves.toBe('failed');
    expect(kit.slack.threadMessages(CHANNEL, rootTs).at(-1)?.text).toContain('no longer available');
    expect(kit.claude.requests).toHaveLength(0);
  });

  it('deletes the summary stream its earlier attempt left behind, even when the review was delivered', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'Design' });
    const review = await kit.client.chat.postMessage({ channel: CHANNEL, thread_ts: rootTs, text: 'Review' });
    const leftover = await kit.client.chat.startStream({
      channel: CHANNEL,
      thread_ts: rootTs,
      recipient_user_id: USER,
      recipient_team_id: TEAM,
      markdown_text: 'Keep one',
    });
    const run = kit.run(
      { threadTs: rootTs },
      {
        placeholderTs: String(review.ts),
        deliveredTs: [String(review.ts)],
        streamTs: String(leftover.ts),
      },
    );

    await expect(processConsultation(run, kit.deps)).resolves.toBe('already_delivered');
    expect(kit.slack.threadMessages(CHANNEL, rootTs).map((m) => m.text)).toEqual(['Design', 'Review']);
    expect(run.checkpoints.streamTs).toBeUndefined();
    expect(kit.claude.requests).toHaveLength(0);
  });

  it('finishes, without Claude or a second reply, an attempt that stopped after posting the reply', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'Design' });
    const placeholder = await kit.client.chat.postMessage({
      channel: CHANNEL,
      thread_ts: rootTs,
      text: 'is reviewing…',
    });
    const reply = await kit.client.chat.postMessage({
      channel: CHANNEL,
      thread_ts: rootTs,
      text: 'The review',
    });
    const run = kit.run(
      { threadTs: rootTs },
      { placeholderTs: String(placeholder.ts), replyTs: String(reply.ts) },
    );

    await expect(processConsultation(run, kit.deps)).resolves.toBe('already_delivered');
    expect(kit.slack.threadMessages(CHANNEL, rootTs).map((m) => m.text)).toEqual(['Design', 'The review']);
    expect(run.checkpoints.deliveredTs).toEqual([String(reply.ts)]);
    expect(kit.claude.requests).toHaveLength(0);
    expect(kit.slack.callsTo('chat.update')).toHaveLength(0);
  });
});
