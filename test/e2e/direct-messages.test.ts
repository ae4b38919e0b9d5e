import { Redis } from 'ioredis';
import { ViewedContexts } from '../../src/stores/viewed-context';
import { type Harness, harnessForEachTest, startSocketHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { isProgress, isReview } from '../helpers/slack-actions';
import {
  appContextChangedEvent,
  CHANNEL,
  DM,
  directMessageEvent,
  eventCallback,
  messagesTabOpenedEvent,
  TEAM,
  USER,
} from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { waitUntil } from '../helpers/waits';

/**
 * The bot's DM as a new user meets it: opening it (the Messages tab under the agent view) shows
 * suggested prompts; a message there gets a review in its thread; "review this" reviews what the
 * person is looking at. Signed Slack requests over HTTP, and the same through Socket Mode.
 */

const dmReplies = (h: Harness, threadTs: string) =>
  h.slack.threadMessages(DM, threadTs).filter((m) => m.bot_id && m.ts !== threadTs);
const dmReview = (h: Harness, threadTs: string) =>
  h.slack.waitFor(() => {
    const replies = dmReplies(h, threadTs);
    return replies.some(isProgress) ? undefined : replies.find(isReview);
  }, 20_000);

async function sendEvent(h: Harness, event: Record<string, unknown>, eventId?: string): Promise<void> {
  const res = await signedPost(h.eventsUrl, eventCallback(event, eventId));
  expect(res.status).toBe(200);
}

/** Alice writes in the bot's DM (the fake stores it) and Slack sends message.im; returns its ts. */
async function directMessage(
  h: Harness,
  text: string,
  opts: { threadTs?: string; appContext?: unknown; eventId?: string } = {},
): Promise<string> {
  const ts = h.slack.addMessage(DM, {
    user: USER,
    text,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
  });
  await sendEvent(h, directMessageEvent({ ts, text, ...opts }), opts.eventId);
  return ts;
}

describe('direct messages to the bot, over HTTP', () => {
  const app = harnessForEachTest();

  it('a DM gets one review in its thread, with the DM as the context and a conversation title', async () => {
    const { h } = app;
    const ts = await directMessage(h, 'Review: one Postgres shared by orders and billing, nightly exports');
    const review = await dmReview(h, ts);
    expect(review.thread_ts).toBe(ts);
    expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain('nightly exports');
    expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain('in a direct message');
    expect(h.slack.threadTitles).toEqual([
      { channel_id: DM, thread_ts: ts, title: 'Review: one Postgres shared by orders and billing, nightly…' },
    ]);
    expect(dmReplies(h, ts).filter(isReview)).toHaveLength(1);
  });

  it('ignores the bot’s own DM and other bots’, and a redelivered DM yields one review', async () => {
    const { h } = app;
    const own = h.slack.addMessage(DM, { user: 'UBOT', bot_id: 'BBOT', text: 'Here is your review' });
    await sendEvent(h, directMessageEvent({ ts: own, text: 'Here is your review', user: 'UBOT' }));
    const other = h.slack.addMessage(DM, { bot_id: 'BOTHER', text: 'deploy finished' });
    await sendEvent(h, directMessageEvent({ ts: other, text: 'deploy finished', botId: 'BOTHER' }));
    const ts = await directMessage(h, 'Is a saga right for checkout?', { eventId: 'Ev0DMTWICE' });
    await sendEvent(h, directMessageEvent({ ts, text: 'Is a saga right for checkout?' }), 'Ev0DMTWICE');
    await dmReview(h, ts);
    expect(h.claude.requests).toHaveLength(1);
    expect(dmReplies(h, own)).toEqual([]);
    expect(dmReplies(h, other)).toEqual([]);
  });

  it('a reply in a DM conversation is reviewed with the whole conversation', async () => {
    const { h } = app;
    const root = h.slack.addMessage(DM, { user: USER, text: 'Design: event-sourced ledger on Kafka' });
    const ts = await directMessage(h, 'what about replays?', { threadTs: root });
    const review = await dmReview(h, root);
    expect(review.thread_ts).toBe(root);
    const sent = JSON.stringify(h.claude.lastRequest()?.body.messages);
    expect(sent).toContain('event-sourced ledger on Kafka');
    expect(sent).toContain('what about replays?');
    expect(ts).not.toBe(root);
  });

  it('a DM from someone the allowlist leaves out gets the refusal in its thread, and nothing is queued', async () => {
    const h = await app.restart({ ALLOWED_USERS: 'U0BOB' });
    const ts = await directMessage(h, 'Review: a cache in front of the ledger');
    const refusal = await h.slack.waitFor(() => dmReplies(h, ts)[0]);
    expect(refusal.text).toContain('ALLOWED_USERS');
    expect(h.claude.requests).toEqual([]);
  });

  it('the legacy split view: a new assistant thread gets the prompts for that thread', async () => {
    const { h } = app;
    const threadTs = h.slack.addMessage(DM, { user: USER, text: 'New chat' });
    await sendEvent(h, {
      type: 'assistant_thread_started',
      assistant_thread: {
        user_id: USER,
        context: { channel_id: CHANNEL, team_id: TEAM },
        channel_id: DM,
        thread_ts: threadTs,
      },
    });
    const [set] = await h.slack.waitFor(
      () => h.slack.suggestedPrompts.length > 0 && h.slack.suggestedPrompts,
    );
    expect(set).toMatchObject({ channel_id: DM, thread_ts: threadTs });
    expect(set?.prompts[0]?.title).toBe('Review a design');
  });

  it('opening the Messages tab sets suggested prompts for the agents loaded, without thread_ts', async () => {
    const { h } = app;
    await sendEvent(h, messagesTabOpenedEvent());
    const [set] = await h.slack.waitFor(
      () => h.slack.suggestedPrompts.length > 0 && h.slack.suggestedPrompts,
    );
    expect(set?.channel_id).toBe(DM);
    expect(set?.thread_ts).toBeUndefined();
    expect(set?.title).toContain('backend-architect');
    expect(set?.prompts.map((p) => p.title)).toEqual([
      'Review a design',
      'Threat-model this',
      'Compare two options',
      'Review what I’m looking at',
    ]);
    // The Home tab is not published for the Messages tab.
    expect(h.slack.callsTo('views.publish')).toEqual([]);
  });

  it('"review this" reviews the thread the person is looking at, in the DM thread', async () => {
    const { h } = app;
    const root = h.slack.addMessage(CHANNEL, { user: USER, text: 'Proposal: split the monolith by team' });
    h.slack.addMessage(CHANNEL, { user: USER, text: 'and move auth first', thread_ts: root });
    await sendEvent(
      h,
      appContextChangedEvent([
        { type: 'slack#/types/message_context', value: { channel_id: CHANNEL, message_ts: root } },
      ]),
    );
    // Remembered in Redis, where whichever replica takes the DM finds it.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const viewed = new ViewedContexts(redis, h.prefix);
      await waitUntil(() => viewed.get(TEAM, USER));
    } finally {
      redis.disconnect();
    }
    const ts = await directMessage(h, 'review this');
    const review = await dmReview(h, ts);
    expect(review.thread_ts).toBe(ts);
    const sent = JSON.stringify(h.claude.lastRequest()?.body.messages);
    expect(sent).toContain('split the monolith by team');
    expect(sent).toContain('and move auth first');
    expect(sent).toContain(`is looking at a thread in <#${CHANNEL}>`);
    expect(h.slack.threadMessages(CHANNEL, root).filter((m) => m.bot_id)).toEqual([]);
  });

  it('"review this" says clearly when the bot cannot read what the person is looking at', async () => {
    const { h } = app;
    h.slack.setChannelMissing('C0SECRET');
    const canvas = { type: 'slack#/types/canvas_id', value: 'F0CANVAS' };
    const tsCanvas = await directMessage(h, 'review this', { appContext: { entities: [canvas] } });
    const canvasReply = await h.slack.waitFor(() => dmReplies(h, tsCanvas)[0]);
    expect(canvasReply.text).toContain('I can’t read a canvas');

    const secret = { type: 'slack#/types/channel_id', value: 'C0SECRET' };
    const ts = await directMessage(h, 'review this', { appContext: { entities: [secret] } });
    const note = await h.slack.waitFor(() => h.slack.ephemerals.find((e) => e.channel === DM));
    expect(note.text).toContain('I can’t read <#C0SECRET>');
    expect(h.claude.requests).toEqual([]);
    expect(ts).toBeDefined();
  });
});

describe('direct messages to the bot, in Socket Mode', () => {
  const h = perTest(startSocketHarness, (h) => h.stop());

  const envelope = (event: Record<string, unknown>) =>
    h.slack.sendEnvelope('events_api', JSON.parse(eventCallback(event)));

  it('a DM envelope gets a review in its thread; the bot’s own DM is ignored', async () => {
    const own = h.slack.addMessage(DM, { user: 'UBOT', bot_id: 'BBOT', text: 'my own words' });
    await envelope(directMessageEvent({ ts: own, text: 'my own words', user: 'UBOT' }));
    const text = 'Design: two regions, active-passive, RPO 5 min';
    const ts = h.slack.addMessage(DM, { user: USER, text });
    await envelope(directMessageEvent({ ts, text }));
    const review = await dmReview(h, ts);
    expect(review.thread_ts).toBe(ts);
    expect(h.claude.requests).toHaveLength(1);
    expect(dmReplies(h, own)).toEqual([]);
  });

  it('opening the Messages tab sets the suggested prompts', async () => {
    await envelope(messagesTabOpenedEvent());
    const [set] = await h.slack.waitFor(
      () => h.slack.suggestedPrompts.length > 0 && h.slack.suggestedPrompts,
    );
    expect(set?.prompts[0]?.title).toBe('Review a design');
  });
});
