import { botReplies, isReview } from '../helpers/slack-actions';
import { CHANNEL, eventCallback, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { pause, waitForReview, waitUntilIdle } from '../helpers/waits';
import { faultHarnessForEachTest } from './fault-helpers';

const DELIVERIES = 100;
const CONCURRENT = 50;
const LATER_BATCHES = 5;
const BATCH_GAP_MS = 600;

/**
 * Delivers one event body `DELIVERIES` times, as Slack does when it does not get its ack in time:
 * half at once, the rest in batches spread over a few seconds, most marked as retries. Resolves with
 * every HTTP status the app answered. `beforeLastBatch` runs before the last batch (to send it once the
 * review is in, as a late redelivery would arrive).
 */
async function deliverRepeatedly(
  url: string,
  body: string,
  beforeLastBatch: () => Promise<unknown>,
): Promise<number[]> {
  const deliver = async (n: number) => {
    const headers: Record<string, string> =
      n === 0 ? {} : { 'x-slack-retry-num': String(Math.min(n, 3)), 'x-slack-retry-reason': 'http_timeout' };
    return (await signedPost(url, body, { headers })).status;
  };
  const statuses = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => deliver(i)));
  const perBatch = Math.ceil((DELIVERIES - CONCURRENT) / LATER_BATCHES);
  for (let sent = CONCURRENT; sent < DELIVERIES; sent += perBatch) {
    await pause(BATCH_GAP_MS);
    if (sent + perBatch >= DELIVERIES) await beforeLastBatch();
    const batch = Array.from({ length: Math.min(perBatch, DELIVERIES - sent) }, (_, i) => deliver(sent + i));
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

describe('the same Slack event delivered 100 times', () => {
  const fault = faultHarnessForEachTest();

  /**
   * Delivers `body` again and again and expects all of it acknowledged, one Claude request, and one
   * message of the bot's in the thread of `ts`: the review.
   */
  async function expectOneReviewFromRedeliveries(ts: string, body: string): Promise<void> {
    const { h, queue } = fault;
    const statuses = await deliverRepeatedly(h.eventsUrl, body, () => waitForReview(h, ts));
    expect(statuses).toHaveLength(DELIVERIES);
    expect(statuses.every((s) => s === 200)).toBe(true);

    await waitForReview(h, ts);
    const counts = await waitUntilIdle(queue);
    expect(counts).toMatchObject({ completed: 1, failed: 0 });
    expect(h.claude.requests).toHaveLength(1);
    expect(botReplies(h, ts)).toHaveLength(1);
    expect(botReplies(h, ts).filter(isReview)).toHaveLength(1);
    // Nobody was told anything odd: no ephemeral notes about limits or failures.
    expect(h.slack.ephemerals).toHaveLength(0);
  }

  it('an app_mention (one event_id, retries marked): one Claude request, one review in the thread', async () => {
    const { h } = fault;
    // A slow Claude keeps the first job running while most of the redeliveries arrive.
    h.claude.enqueue({ kind: 'review', latencyMs: 1500 });
    const text = '<@UBOT> review: a Postgres per service, Kafka between them';
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text });
    const body = eventCallback({ type: 'app_mention', user: USER, text, ts, channel: CHANNEL });
    await expectOneReviewFromRedeliveries(ts, body);
  }, 45_000);

  it('a reaction_added with the review emoji: one Claude request, one review in the thread', async () => {
    const { h } = fault;
    h.claude.enqueue({ kind: 'review', latencyMs: 1500 });
    const ts = h.slack.addMessage(CHANNEL, {
      user: 'U0BOB',
      text: 'RFC: sessions in Redis with a 30-day TTL',
    });
    const body = eventCallback({
      type: 'reaction_added',
      user: USER,
      reaction: 'building_construction',
      item_user: 'U0BOB',
      item: { type: 'message', channel: CHANNEL, ts },
    });
    await expectOneReviewFromRedeliveries(ts, body);
  }, 45_000);
});
