import { openThread } from '../../src/worker/open-thread';
import { perTest } from '../helpers/per-test';
import { CHANNEL, USER } from '../helpers/slack-payloads';
import { startWorkerStages } from '../helpers/worker-stages';

describe('opening the thread (the first worker stage)', () => {
  const kit = perTest(startWorkerStages, (kit) => kit.close());

  it('posts a slash command’s request as a new thread root, then the placeholder under it, checkpointing both', async () => {
    const run = kit.run({ trigger: 'command', text: 'Review: one Postgres for orders and billing' });
    const opened = await openThread(kit.context(run));
    if ('outcome' in opened) throw new Error('expected the thread to open');
    const [root, placeholder] = kit.slack.threadMessages(CHANNEL, opened.threadTs);
    expect(root?.text).toContain('one Postgres for orders and billing');
    expect(placeholder?.ts).toBe(opened.placeholderTs);
    expect(run.checkpoints).toMatchObject({ threadTs: opened.threadTs, placeholderTs: opened.placeholderTs });
  });

  it('updates the placeholder an earlier attempt posted instead of posting a second one', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    const first = kit.run({ threadTs: rootTs, messageTs: rootTs });
    const opened = await openThread(kit.context(first));
    if ('outcome' in opened) throw new Error('expected the thread to open');
    const retried = kit.run(first.request, first.checkpoints);
    await openThread(kit.context(retried));
    expect(kit.slack.threadMessages(CHANNEL, rootTs)).toHaveLength(2);
    expect(kit.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('posts a follow-up’s answers once and stops there when no refined review was asked for', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    const run = kit.run({
      trigger: 'followup',
      threadTs: rootTs,
      rerun: false,
      answers: [{ question: 'Peak orders per second?', answer: 'About 40, 400 on Black Friday.' }],
    });
    await expect(openThread(kit.context(run))).resolves.toEqual({
      outcome: 'delivered',
    });
    const replies = kit.slack.threadMessages(CHANNEL, rootTs).slice(1);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('400 on Black Friday');
    expect(run.checkpoints.answersTs).toBe(replies[0]?.ts);
  });

  it('tells the requester privately, and posts nothing, when the reacted-to message is gone', async () => {
    const run = kit.run({ trigger: 'reaction', messageTs: '1700000000.000100' });
    await expect(openThread(kit.context(run))).resolves.toEqual({
      outcome: 'failed',
    });
    expect(kit.slack.ephemerals.at(-1)?.text).toContain('may have been deleted');
    expect(kit.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('says how to invite the bot when the channel is closed to it', async () => {
    kit.slack.setChannelMissing(CHANNEL);
    const run = kit.run({ trigger: 'command', responseUrl: undefined });
    await expect(openThread(kit.context(run))).resolves.toEqual({
      outcome: 'failed',
    });
    expect(kit.slack.callsTo('chat.postEphemeral').at(-1)?.params.text).toContain('/invite @Architect');
  });
});
