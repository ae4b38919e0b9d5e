import { sampleReview } from '../fixtures/sample-review';
import { startHarness, startSocketHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { shownText } from '../helpers/slack-actions';
import { CHANNEL, eventCallback, slashCommandBody, USER } from '../helpers/slack-payloads';
import { waitForCommandThread, waitForReview } from '../helpers/waits';

/**
 * The app in Socket Mode, end to end: the REAL Bolt SocketModeReceiver and @slack/socket-mode client
 * open a real WebSocket to the Slack fake (apps.connections.open with the app-level token), and Slack's
 * requests arrive as envelopes on it instead of signed HTTP requests.
 */

/** A slash command as Socket Mode carries it: the HTTP form's fields as a JSON object. */
function slashCommandPayload(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(slashCommandBody(text)));
}

/** An event callback as Socket Mode carries it: the same JSON the Events API would POST. */
function eventPayload(event: Record<string, unknown>, eventId?: string): unknown {
  return JSON.parse(eventCallback(event, eventId));
}

/** The ack payload's reply, narrowed from the wire's `unknown`. */
function ackReply(payload: unknown): { response_type?: unknown; text: string } {
  if (typeof payload !== 'object' || payload === null) throw new Error(`ack carried no payload: ${payload}`);
  const { response_type, text } = payload as { response_type?: unknown; text?: unknown };
  return { response_type, text: String(text ?? '') };
}

describe('Socket Mode, end to end through the real socket-mode client and a real WebSocket', () => {
  const h = perTest(startSocketHarness, (h) => h.stop());

  it('connects with the app-level token and never uses it for Web API calls', () => {
    const opens = h.slack.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.response).toMatchObject({ ok: true });
    expect(h.slack.socketMode.connectionCount).toBe(1);
    const refused = h.slack.calls.filter((c) => c.response?.ok === false);
    expect(refused).toEqual([]);
  });

  it('/architect review is acked with an ephemeral reply and ends in a threaded review', async () => {
    const design = 'We plan one Postgres for orders and billing.\nNightly batch exports.';
    const ack = await h.slack.sendEnvelope('slash_commands', slashCommandPayload(`review ${design}`));
    expect(h.slack.socketMode.envelopes.at(-1)?.accepts_response_payload).toBe(true);
    const reply = ackReply(ack.payload);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('backend-architect');

    const { root, threadTs } = await waitForCommandThread(h);
    expect(root.params.channel).toBe(CHANNEL);
    expect(shownText(root.params)).toContain(`<@${USER}>`);
    expect(shownText(root.params)).toContain('We plan one Postgres');
    const review = await waitForReview(h, threadTs);
    expect(review.thread_ts).toBe(threadTs);
    expect(shownText(review)).toContain(sampleReview().headline);
    expect(JSON.stringify(h.claude.lastRequest()?.body.messages)).toContain('Nightly batch exports.');
  });

  it('an app_mention envelope yields a review in the thread', async () => {
    const rootTs = h.slack.addMessage(CHANNEL, {
      user: USER,
      text: 'Design doc: event sourcing for the ledger',
    });
    const mentionTs = h.slack.addMessage(CHANNEL, {
      user: USER,
      text: '<@UBOT> is this sound?',
      thread_ts: rootTs,
    });
    const ack = await h.slack.sendEnvelope(
      'events_api',
      eventPayload({
        type: 'app_mention',
        user: USER,
        text: '<@UBOT> is this sound?',
        ts: mentionTs,
        thread_ts: rootTs,
        channel: CHANNEL,
      }),
    );
    expect(ack.envelope_id).toBe(h.slack.socketMode.envelopes.at(-1)?.envelope_id);
    const review = await waitForReview(h, rootTs);
    expect(review.thread_ts).toBe(rootTs);
    const sent = JSON.stringify(h.claude.lastRequest()?.body.messages);
    expect(sent).toContain('event sourcing for the ledger');
    expect(sent).toContain('is this sound?');
  });

  it('the same event envelope redelivered, with and without a retry mark, yields one review', async () => {
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: '<@UBOT> review please' });
    const payload = eventPayload(
      { type: 'app_mention', user: USER, text: '<@UBOT> review please', ts, channel: CHANNEL },
      'Ev0REDELIVERED',
    );
    const first = await h.slack.sendEnvelope('events_api', payload);
    // Socket Mode sometimes redelivers an envelope as is (retry_attempt 0), and retries mark it.
    await h.slack.sendEnvelope('events_api', payload, { envelopeId: first.envelope_id });
    await h.slack.sendEnvelope('events_api', payload, {
      envelopeId: first.envelope_id,
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect(h.slack.socketMode.acks.filter((a) => a.envelope_id === first.envelope_id)).toHaveLength(3);

    await waitForReview(h, ts);
    // Both redeliveries reached the listener and were recognised, so no second job can still come.
    await h.slack.waitFor(
      () => h.logs.lines.filter((l) => l.msg === 'duplicate delivery ignored').length === 2,
    );
    expect(h.logs.lines.filter((l) => l.msg === 'consultation queued')).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(1);
    expect(h.slack.threadMessages(CHANNEL, ts).filter((m) => m.bot_id)).toHaveLength(1);
  });

  it('/architect help is answered in the ack payload, queueing nothing', async () => {
    const ack = await h.slack.sendEnvelope('slash_commands', slashCommandPayload('help'));
    const reply = ackReply(ack.payload);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('/architect review');
    expect(reply.text).toContain(':building_construction:');
    expect(h.claude.requests).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('serves /healthz on its own port, and takes no Slack requests over HTTP', async () => {
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const events = await fetch(h.eventsUrl, { method: 'POST', body: '{}' });
    expect(events.status).toBe(404);
  });

  it('/readyz counts the Socket Mode connection: ready while connected', async () => {
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { slack: true } });
  });
});

describe('Socket Mode with an app token Slack refuses', () => {
  it('starts, and /readyz says Slack is not connected', async () => {
    const h = await startHarness({
      SLACK_MODE: 'socket',
      SLACK_APP_TOKEN: 'xapp-not-the-right-one',
      SLACK_SIGNING_SECRET: undefined,
    });
    try {
      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { slack: false } });
    } finally {
      await h.stop();
    }
  });
});
