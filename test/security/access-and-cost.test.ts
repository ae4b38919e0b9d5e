import { type Harness, startHarness } from '../helpers/architect-harness';
import { mention as mentionBot, slashCommand } from '../helpers/slack-actions';
import { CHANNEL, USER } from '../helpers/slack-payloads';
import { pause, waitForReview } from '../helpers/waits';

describe('who may ask, and how much', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const command = (harness: Harness, text: string, user = USER) =>
    slashCommand(harness, text, { user_id: user });
  /** `<@UBOT> review`; `again` delivers the mention of `ts` once more, as Slack's retry `retryNum`. */
  const mention = (harness: Harness, again?: { ts: string; retryNum: string }) => {
    const text = '<@UBOT> review';
    const ts = again?.ts ?? harness.slack.addMessage(CHANNEL, { user: USER, text });
    const headers: Record<string, string> = again
      ? { 'x-slack-retry-num': again.retryNum, 'x-slack-retry-reason': 'http_timeout' }
      : {};
    // The event id follows from the message, so a redelivery is the same event.
    return mentionBot(harness, { text, ts, eventId: `Ev${ts.replace('.', '')}`, headers });
  };
  const settle = () => pause(400);

  it('outside ALLOWED_CHANNELS: a polite ephemeral refusal, and nothing is queued', async () => {
    h = await startHarness({ ALLOWED_CHANNELS: 'C0ELSEWHERE' });
    const answer = await command(h, 'review my design');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/isn’t enabled in this channel/);
    await mention(h);
    await h.slack.waitFor(() => h?.slack.ephemerals.length === 1);
    expect(h.slack.ephemerals[0]?.text).toMatch(/isn’t enabled in this channel/);
    await settle();
    expect(h.claude.requests).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('ALLOWED_USERS and ALLOWED_TEAMS refuse everyone else', async () => {
    h = await startHarness({ ALLOWED_USERS: 'U0BOB' });
    expect((await command(h, 'review x')).text).toMatch(/isn’t enabled for you/);
    await h.stop();
    h = await startHarness({ ALLOWED_TEAMS: 'T0OTHER' });
    expect((await command(h, 'review x')).text).toMatch(/isn’t enabled for this workspace/);
    await settle();
    expect(h.claude.requests).toHaveLength(0);
  });

  it('over RATE_LIMIT_PER_USER_PER_HOUR: says when it resets, queues nothing, and others can still ask', async () => {
    h = await startHarness({ RATE_LIMIT_PER_USER_PER_HOUR: '2' });
    expect((await command(h, 'review one')).text).toMatch(/Got it/);
    expect((await command(h, 'review two')).text).toMatch(/Got it/);
    const third = await command(h, 'review three');
    expect(third.response_type).toBe('ephemeral');
    expect(third.text).toMatch(/2 reviews in the last hour/);
    expect(third.text).toMatch(/<!date\^\d+\^\{time\}\|\d\d:\d\d UTC>/);
    expect((await command(h, 'review from bob', 'U0BOB')).text).toMatch(/Got it/);
    await h.claude.waitForRequests(3, 10_000);
    await settle();
    expect(h.claude.requests).toHaveLength(3);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/architect_refusals_total\{reason="rate_limit"\} 1/);
  });

  it('a redelivered request over the limit is refused once, not once per delivery', async () => {
    h = await startHarness({ RATE_LIMIT_PER_USER_PER_HOUR: '1' });
    await command(h, 'review one');
    const ts = await mention(h);
    await mention(h, { ts, retryNum: '1' });
    await mention(h, { ts, retryNum: '2' });
    await h.slack.waitFor(() => (h?.slack.ephemerals.length ?? 0) >= 1);
    await settle();
    expect(h.slack.ephemerals).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(1);
  });

  it('over DAILY_TOKEN_BUDGET_PER_TEAM: the workspace is told when the budget resets', async () => {
    h = await startHarness({ DAILY_TOKEN_BUDGET_PER_TEAM: '100' });
    h.claude.enqueue({ kind: 'review', usage: { input_tokens: 400, output_tokens: 300 } });
    const first = await mention(h);
    await waitForReview(h, first);
    const answer = await command(h, 'review another', 'U0BOB');
    expect(answer.text).toMatch(/used today’s Claude budget/);
    expect(answer.text).toMatch(/resets at <!date/);
    await settle();
    expect(h.claude.requests).toHaveLength(1);
  });
});
