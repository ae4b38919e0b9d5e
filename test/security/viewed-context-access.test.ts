import { harnessForEachTest } from '../helpers/architect-harness';
import { isReview } from '../helpers/slack-actions';
import {
  appContextChangedEvent,
  DM,
  directMessageEvent,
  eventCallback,
  USER,
} from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { pause } from '../helpers/waits';

const PRIVATE = 'C0PRIVATE';

/**
 * "review this" in the DM reviews what Slack last said the person was looking at; whether they can see
 * it is checked at the time of the request, not trusted from that hour-old pointer.
 */
describe('"review this" of a conversation the person can no longer see', () => {
  const app = harnessForEachTest();

  /** Alice looks at the private channel's thread (Slack says so), then asks in the DM; returns the DM ts. */
  async function lookThenAsk(): Promise<string> {
    const { h } = app;
    const root = h.slack.addMessage(PRIVATE, { user: 'U0BOB', text: 'Layoffs plan: close the Paris office' });
    const looked = appContextChangedEvent([
      { type: 'slack#/types/message_context', value: { channel_id: PRIVATE, message_ts: root } },
    ]);
    expect((await signedPost(h.eventsUrl, eventCallback(looked))).status).toBe(200);
    await pause(200);
    // Alice is removed from the channel after Slack told the bot what she was looking at.
    h.slack.setPrivateChannel(PRIVATE, ['U0BOB']);
    const ts = h.slack.addMessage(DM, { user: USER, text: 'review this' });
    const res = await signedPost(h.eventsUrl, eventCallback(directMessageEvent({ ts, text: 'review this' })));
    expect(res.status).toBe(200);
    return ts;
  }

  it('someone removed from a private channel is told why, and nothing of it reaches Claude or the DM', async () => {
    const { h } = app;
    h.slack.addUser('U0BOB', { name: 'bob' });
    const ts = await lookThenAsk();
    const answer = await h.slack.waitFor(() =>
      h.slack.threadMessages(DM, ts).find((m) => m.bot_id && m.ts !== ts),
    );
    expect(answer.text).toBe(
      'I only review conversations you can see, and you’re not a member of that one. Ask someone in it to use *…* → *Review with Architect* there.',
    );
    await pause(400);
    expect(h.claude.requests).toEqual([]);
    const reads = h.slack.calls.filter(
      (c) => c.method.startsWith('conversations.') && c.params.channel === PRIVATE,
    );
    expect(reads.map((c) => c.method)).toEqual(['conversations.info', 'conversations.members']);
  });

  it('a member of the private channel gets it reviewed', async () => {
    const { h } = app;
    const root = h.slack.addMessage(PRIVATE, { user: USER, text: 'Design: move billing to its own service' });
    h.slack.setPrivateChannel(PRIVATE, [USER, 'U0BOB']);
    const ts = h.slack.addMessage(DM, { user: USER, text: 'review this' });
    const appContext = {
      entities: [{ type: 'slack#/types/message_context', value: { channel_id: PRIVATE, message_ts: root } }],
    };
    await signedPost(h.eventsUrl, eventCallback(directMessageEvent({ ts, text: 'review this', appContext })));
    await h.slack.waitFor(() => h.slack.threadMessages(DM, ts).find(isReview), 20_000);
    expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain(
      'move billing to its own service',
    );
  });

  it('a channel outside ALLOWED_CHANNELS is not reviewed into the DM either', async () => {
    const h = await app.restart({ ALLOWED_CHANNELS: `${DM},C0DESIGN` });
    h.slack.addUser(USER, { name: 'alice' });
    const root = h.slack.addMessage('C0ELSEWHERE', {
      user: USER,
      text: 'Design: a cache in front of search',
    });
    const ts = h.slack.addMessage(DM, { user: USER, text: 'review this' });
    const appContext = {
      entities: [
        { type: 'slack#/types/message_context', value: { channel_id: 'C0ELSEWHERE', message_ts: root } },
      ],
    };
    await signedPost(h.eventsUrl, eventCallback(directMessageEvent({ ts, text: 'review this', appContext })));
    const answer = await h.slack.waitFor(() =>
      h.slack.threadMessages(DM, ts).find((m) => m.bot_id && m.ts !== ts),
    );
    expect(answer.text).toMatch(/isn’t enabled in this channel/);
    await pause(300);
    expect(h.claude.requests).toEqual([]);
  });
});
