import { isProgress, isReview, mention, slashCommand } from '../helpers/slack-actions';
import { CHANNEL } from '../helpers/slack-payloads';
import { waitUntilIdle } from '../helpers/waits';
import { faultHarnessForEachTest } from './fault-helpers';

/**
 * Slack's tiers scaled from a minute down to two seconds (chat.postMessage keeps its per-channel
 * second), so a design-review day's burst is over in seconds. The app is told the same budget through
 * SLACK_RATE_LIMITS; the fake enforces it with 429 and Retry-After, as Slack does.
 */
const SCALED = {
  tier3: { limit: 8, windowMs: 2000 },
  postMessage: { limit: 3, windowMs: 3000, perChannel: true },
};
const FAKE_TIERS = {
  'chat.update': SCALED.tier3,
  'chat.delete': SCALED.tier3,
  'conversations.replies': SCALED.tier3,
  'conversations.history': SCALED.tier3,
  'conversations.info': SCALED.tier3,
  'reactions.add': SCALED.tier3,
  'chat.postMessage': SCALED.postMessage,
};
const RATE_LIMITS = [
  'chat.update=8/2',
  'chat.delete=8/2',
  'conversations.replies=8/2',
  'conversations.history=8/2',
  'conversations.info=8/2',
  'reactions.add=8/2',
  'chat.postMessage=3/3',
].join(',');

const CHANNELS = [CHANNEL, 'C0PAYMENTS', 'C0PLATFORM'];

describe('many reviews at once in one workspace, against a Slack that enforces its tiers', () => {
  const fault = faultHarnessForEachTest({ env: { SLACK_RATE_LIMITS: RATE_LIMITS } });

  it('delivers exactly one review per request, and Slack refuses none of the calls', async () => {
    const { h, queue } = fault;
    h.slack.enforceRateLimits(FAKE_TIERS);
    // Each review takes the model a moment to write, so all of them are under way together.
    for (let i = 0; i < 9; i++) h.claude.enqueue({ kind: 'review', deltaDelayMs: 40 });
    const mentions = await Promise.all([mention(h), mention(h), mention(h)]);
    await Promise.all(
      CHANNELS.flatMap((channel) =>
        [1, 2].map((n) => slashCommand(h, `review design ${n} for ${channel}`, { channel_id: channel })),
      ),
    );
    const counts = await waitUntilIdle(queue, 90_000);
    expect(counts).toMatchObject({ completed: 9, failed: 0 });

    // Three mention threads and six command threads, each with one review and nothing left of the progress.
    const threads = new Map<string, number>();
    for (const channel of CHANNELS)
      for (const m of h.slack.channelMessages(channel)) {
        if (!m.bot_id || !m.thread_ts) continue;
        expect(isProgress(m)).toBe(false);
        if (isReview(m))
          threads.set(`${channel}/${m.thread_ts}`, (threads.get(`${channel}/${m.thread_ts}`) ?? 0) + 1);
      }
    expect(threads.size).toBe(9);
    expect([...threads.values()].every((n) => n === 1)).toBe(true);
    for (const ts of mentions) expect(threads.get(`${CHANNEL}/${ts}`)).toBe(1);
    expect(h.claude.requests).toHaveLength(9);
    expect(h.slack.rateLimited()).toEqual({});
  }, 120_000);
});
