import { type Harness, startHarness } from '../helpers/architect-harness';
import { CHANNEL, eventCallback, slashCommandBody, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

const FORM = { contentType: 'application/x-www-form-urlencoded' as const };

describe('who may ask, and how much', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const command = async (harness: Harness, text: string, user = USER) => {
    const res = await signedPost(harness.eventsUrl, slashCommandBody(text, { user_id: user }), FORM);
    return (await res.json()) as { response_type: string; text: string };
  };
  const mention = async (
    harness: Harness,
    user = USER,
    headers: Record<string, string> = {},
    ts?: string,
  ) => {
    const messageTs = ts ?? harness.slack.addMessage(CHANNEL, { user, text: '<@UBOT> review' });
    await signedPost(
      harness.eventsUrl,
      eventCallback(
        { type: 'app_mention', user, text: '<@UBOT> review', ts: messageTs, channel: CHANNEL },
        `Ev${messageTs.replace('.', '')}`,
      ),
      { headers },
    );
    return messageTs;
  };
  const settle = () => new Promise((r) => setTimeout(r, 400));

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
    expect(third.text).toMatch(/2 reviews this hour/);
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
    await mention(h, USER, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }, ts);
    await mention(h, USER, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' }, ts);
    await h.slack.waitFor(() => (h?.slack.ephemerals.length ?? 0) >= 1);
    await settle();
    expect(h.slack.ephemerals).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(1);
  });

  it('over DAILY_TOKEN_BUDGET_PER_TEAM: the workspace is told when the budget resets', async () => {
    h = await startHarness({ DAILY_TOKEN_BUDGET_PER_TEAM: '100' });
    h.claude.enqueue({ kind: 'review', usage: { input_tokens: 400, output_tokens: 300 } });
    const first = await mention(h);
    await h.slack.waitFor(() =>
      h?.slack
        .threadMessages(CHANNEL, first)
        .some((m) => JSON.stringify(m.blocks ?? []).includes('Architecture review')),
    );
    const answer = await command(h, 'review another', 'U0BOB');
    expect(answer.text).toMatch(/used today’s Claude budget/);
    expect(answer.text).toMatch(/resets at <!date/);
    await settle();
    expect(h.claude.requests).toHaveLength(1);
  });
});
