import { type Harness, startHarness } from '../helpers/architect-harness';
import { CHANNEL, eventCallback, slashCommandBody, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

// Nothing listens on port 1: the app starts, but its queue is unreachable.
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('when Redis cannot be reached', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ REDIS_URL: UNREACHABLE_REDIS, ROLE: 'web' });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('a slash command gets a clear ephemeral "try again" within Slack’s 3 seconds', async () => {
    const res = await signedPost(h.eventsUrl, slashCommandBody('review my design'), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/try again/i);
  });

  it('a mention gets an ephemeral "try again" in its thread', async () => {
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: '<@UBOT> review' });
    await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'app_mention', user: USER, text: '<@UBOT> review', ts, channel: CHANNEL }),
    );
    const note = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral')[0]);
    expect(note.params.user).toBe(USER);
    expect(note.params.thread_ts).toBe(ts);
    expect(String(note.params.text)).toMatch(/try again/i);
  });

  it('/healthz answers while /readyz reports Redis down', async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { redis: false, agents: true } });
  });
});

describe('when Redis answers', () => {
  it('/readyz answers 200', async () => {
    const h = await startHarness({ ROLE: 'web' });
    try {
      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await h.stop();
    }
  });
});
