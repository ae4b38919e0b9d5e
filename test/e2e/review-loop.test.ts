import { hugeReview, sampleReview } from '../fixtures/sample-review';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { mention, postSlashCommand, react, shownText } from '../helpers/slack-actions';
import { blockActionsBody, CHANNEL, eventCallback, slashCommandBody, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { pause, waitForCommandThread, waitForReview } from '../helpers/waits';

describe('the review loop, end to end through Slack and Claude fakes and a real Redis', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    h.slack.addUser('U0BOB', { name: 'bob', display_name: 'Bob' });
  });
  afterEach(async () => {
    await h.stop();
  });

  const command = (text: string) => postSlashCommand(h, text);

  it('/architect review posts the request in the channel and the structured review in its thread', async () => {
    const design =
      'We plan one Postgres for orders and billing.\nA Node API in front.\nNightly batch exports.';
    const res = await command(`review ${design}`);
    expect(res.status).toBe(200);
    const ack = (await res.json()) as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain('backend-architect');

    const { root, threadTs } = await waitForCommandThread(h);
    expect(root.params.channel).toBe(CHANNEL);
    expect(shownText(root.params)).toContain(`<@${USER}>`);
    expect(shownText(root.params)).toContain('We plan one Postgres');
    const review = await waitForReview(h, threadTs);
    const shown = shownText(review);
    // The verdict and headline first, the must-fix finding, the questions, the full review a click away.
    for (const part of [
      'Sound with changes',
      sampleReview().headline,
      sampleReview().findings[0]?.title ?? '',
      'The architect asks',
      'open_full_review',
    ]) {
      expect(shown).toContain(part);
    }
    expect(shown).toContain(sampleReview().tldr.slice(0, 40));
    expect(shown).toMatch(/clarify_question_0/);

    const request = h.claude.lastRequest();
    expect(JSON.stringify(request?.body.messages)).toContain('Nightly batch exports.');
    expect(JSON.stringify(request?.body.system)).toContain('Senior Backend Architect');
  });

  it('help and agents answer ephemerally without queueing anything', async () => {
    const help = (await (await command('help')).json()) as { response_type: string; text: string };
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('/architect review');
    expect(help.text).toContain(':building_construction:');
    const agents = (await (await command('agents')).json()) as { text: string };
    expect(agents.text).toContain('backend-architect');
    expect(agents.text).toContain(
      'Use this agent when you need to design, review, or optimize backend system architecture',
    );
    expect(h.claude.requests).toHaveLength(0);
  });

  it('an unknown agent or an empty request gets usage and the agent list', async () => {
    const unknown = (await (await command('review --agent nobody my design')).json()) as { text: string };
    expect(unknown.text).toContain('nobody');
    expect(unknown.text).toContain('backend-architect');
    const empty = (await (await command('review')).json()) as { text: string };
    expect(empty.text).toMatch(/Usage/);
  });

  it('@Architect in a thread answers in that thread with the whole thread as context', async () => {
    const rootTs = h.slack.addMessage(CHANNEL, {
      user: USER,
      text: 'Design doc: event sourcing for the ledger',
    });
    h.slack.addMessage(CHANNEL, { user: 'U0BOB', text: 'Worried about replay times', thread_ts: rootTs });
    await mention(h, { text: '<@UBOT> is this sound?', threadTs: rootTs });
    const review = await waitForReview(h, rootTs);
    expect(review.thread_ts).toBe(rootTs);
    const sent = JSON.stringify(h.claude.lastRequest()?.body.messages);
    expect(sent).toContain('event sourcing for the ledger');
    expect(sent).toContain('author=\\"Bob\\" author_id=\\"U0BOB\\" kind=\\"person\\"');
    expect(sent).toContain('Worried about replay times');
    expect(sent).toContain('is this sound?');
  });

  it('@Architect at top level answers in a new thread under the mention', async () => {
    const ts = await mention(h, { text: '<@UBOT> should we use Kafka or SQS?' });
    const review = await waitForReview(h, ts);
    expect(review.thread_ts).toBe(ts);
  });

  it('the review emoji on a message reviews that message in its thread; other emoji do nothing', async () => {
    const ts = h.slack.addMessage(CHANNEL, {
      user: 'U0BOB',
      text: 'RFC: move sessions to Redis with a 30-day TTL',
    });
    await react(h, ts, { reaction: 'thumbsup', itemUser: 'U0BOB' });
    await react(h, ts, { itemUser: 'U0BOB' });
    const review = await waitForReview(h, ts);
    expect(review.thread_ts).toBe(ts);
    expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain('move sessions to Redis');
    expect(h.claude.requests).toHaveLength(1);
  });

  it('an event delivered three times (Slack retries) yields one review', async () => {
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: '<@UBOT> review please' });
    const body = eventCallback({
      type: 'app_mention',
      user: USER,
      text: '<@UBOT> review please',
      ts,
      channel: CHANNEL,
    });
    for (const retry of [undefined, '1', '2']) {
      const headers: Record<string, string> = retry
        ? { 'x-slack-retry-num': retry, 'x-slack-retry-reason': 'http_timeout' }
        : {};
      expect((await signedPost(h.eventsUrl, body, { headers })).status).toBe(200);
    }
    await waitForReview(h, ts);
    // Give a duplicate job the time to show itself before asserting there is none.
    await pause(500);
    expect(h.claude.requests).toHaveLength(1);
    expect(h.slack.threadMessages(CHANNEL, ts).filter((m) => m.bot_id)).toHaveLength(1);
  });

  it('ignores its own messages and other bots', async () => {
    const ts = h.slack.addMessage(CHANNEL, { bot_id: 'B0OTHER', text: '<@UBOT> loop?' });
    await signedPost(
      h.eventsUrl,
      eventCallback({
        type: 'app_mention',
        bot_id: 'B0OTHER',
        user: 'U0OTHERBOT',
        text: '<@UBOT> loop?',
        ts,
        channel: CHANNEL,
      }),
    );
    await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'app_mention', user: 'UBOT', text: '<@UBOT> me?', ts, channel: CHANNEL }),
    );
    await react(h, ts, { itemUser: 'UBOT' });
    await pause(700);
    expect(h.claude.requests).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a request with a bad signature gets 401 and does nothing', async () => {
    const res = await signedPost(h.eventsUrl, slashCommandBody('review my design'), {
      contentType: 'application/x-www-form-urlencoded',
      secret: 'not-the-secret',
    });
    expect(res.status).toBe(401);
    await pause(300);
    expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('Claude overloaded (529) once, then fine: one review', async () => {
    h.claude.enqueue(
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: 10 },
      { kind: 'review' },
    );
    const ts = await mention(h, { text: '<@UBOT> go' });
    await waitForReview(h, ts);
    expect(h.claude.requests).toHaveLength(2);
    expect(h.slack.threadMessages(CHANNEL, ts).filter((m) => m.bot_id)).toHaveLength(1);
  });

  it('Claude 400 turns the placeholder into a plain-language error with a Retry button, and Retry reviews again', async () => {
    h.claude.enqueue({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long',
    });
    const ts = await mention(h, { text: '<@UBOT> go' });
    const failed = await h.slack.waitFor(() =>
      h.slack.threadMessages(CHANNEL, ts).find((m) => /retry_consultation/.test(shownText(m))),
    );
    expect(shownText(failed)).toContain('prompt is too long');
    expect(h.claude.requests).toHaveLength(1);

    const retryValue = String(
      (JSON.stringify(failed.blocks).match(/"action_id":"retry_consultation"[^}]*"value":"([^"]+)"/) ??
        JSON.stringify(failed.blocks).match(/"value":"([^"]+)"[^}]*"action_id":"retry_consultation"/))?.[1],
    );
    const res = await signedPost(
      h.eventsUrl,
      blockActionsBody({
        actionId: 'retry_consultation',
        value: retryValue,
        messageTs: String(failed.ts),
        threadTs: ts,
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(res.status).toBe(200);
    const review = await waitForReview(h, ts);
    // The review arrives as a new message (Slack notifies followers of that, not of an edit); the failure goes.
    expect(review.ts).not.toBe(failed.ts);
    expect(
      h.slack
        .threadMessages(CHANNEL, ts)
        .filter((m) => m.bot_id)
        .map((m) => m.ts),
    ).toEqual([review.ts]);
  });

  it('a review far too long for one message posts one compact reply within Slack’s limits, with one Claude request', async () => {
    h.claude.enqueue({ kind: 'review', review: hugeReview() });
    const ts = await mention(h, { text: '<@UBOT> big one' });
    const review = await waitForReview(h, ts);
    const rejected = h.slack.calls.filter((c) => c.method.startsWith('chat.') && c.response?.ok === false);
    expect(rejected).toEqual([]);
    expect(
      h.slack
        .threadMessages(CHANNEL, ts)
        .filter((m) => m.bot_id)
        .map((m) => m.ts),
    ).toEqual([review.ts]);
    expect(shownText(review)).toContain('more findings');
    expect(h.claude.requests).toHaveLength(1);
  });
});
