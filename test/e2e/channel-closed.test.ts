import { startHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { CHANNEL, slashCommandBody } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { pause } from '../helpers/waits';

describe('/architect in a channel the bot cannot post in', () => {
  const h = perTest(startHarness, (h) => h.stop());

  it('tells the person how to fix it, through the command’s response_url, once', async () => {
    h.slack.setChannelMissing(CHANNEL);
    const res = await signedPost(
      h.eventsUrl,
      slashCommandBody('review my design', { response_url: h.slack.responseUrl('cmd-1') }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(res.status).toBe(200);
    const answer = await h.slack.waitFor(() => h.slack.responses[0]);
    expect(answer.id).toBe('cmd-1');
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/invite @Architect'),
    });
    await pause(500);
    expect(h.slack.responses).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(0);
  });

  it('never calls a response_url outside Slack’s hosts', async () => {
    h.slack.setChannelMissing(CHANNEL);
    await signedPost(
      h.eventsUrl,
      slashCommandBody('review x', { response_url: 'http://127.0.0.1:9/steal' }),
      {
        contentType: 'application/x-www-form-urlencoded',
      },
    );
    // Falls back to an ephemeral message through the Web API (which fails here too, and is logged).
    await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral').length > 0);
    expect(h.slack.responses).toHaveLength(0);
  });
});
