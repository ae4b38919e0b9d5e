import { WebClient } from '@slack/web-api';
import { createLogger } from '../../../src/logger';
import { ProgressReporter, tldrOf } from '../../../src/worker/progress/progress-reporter';
import { SlackApiFake } from '../../fakes/slack-api-fake';

const CHANNEL = 'C0DESIGN';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A turn of the real event loop, for the Slack fake's HTTP while the clock is jest's. */
const ioTurn = () => new Promise((r) => setImmediate(r));

describe('ProgressReporter', () => {
  let slack: SlackApiFake;
  let client: WebClient;
  let placeholderTs: string;
  const log = createLogger({ level: 'silent' });

  beforeEach(async () => {
    slack = await SlackApiFake.start();
    client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const res = await client.chat.postMessage({ channel: CHANNEL, text: 'placeholder' });
    placeholderTs = String(res.ts);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await slack.close();
  });

  const reporter = (intervalMs: number) =>
    new ProgressReporter({
      slack: client,
      channel: CHANNEL,
      placeholderTs,
      agentName: 'arch',
      intervalMs,
      log,
    });

  it('coalesces rapid reports, keeps them in order and spaced by the interval, the verdict sent at once', async () => {
    // The reporter and the Slack fake read jest's clock (Date and timers); the HTTP between them is
    // real. So the spacing below is in clock time the test moves on, however slow the machine.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    /** Moves the clock on by `ms`, letting the HTTP in flight go on between steps. */
    const elapse = async (ms: number) => {
      for (let t = 0; t < ms; t += 5) {
        await jest.advanceTimersByTimeAsync(5);
        await ioTurn();
      }
    };
    const progress = reporter(200);
    progress.report({ phase: 'reading', messages: 3, files: 1 });
    for (let i = 1; i <= 20; i++) {
      progress.report({ phase: 'writing', summary: 'x'.repeat(i) });
      await elapse(25);
    }
    // The last report is sent within an interval (and a send) of being made.
    const shows = (text: string) => String(slack.callsTo('chat.update').at(-1)?.params.text).includes(text);
    for (let step = 0; step < 2000 && !shows('x'.repeat(20)); step++) await elapse(5);
    await progress.close();
    const updates = slack.callsTo('chat.update');
    expect(String(updates[0]?.params.text)).toContain('is reading the thread (3 messages, 1 file)');
    expect(String(updates.at(-1)?.params.text)).toContain('x'.repeat(20));
    // 20 reports over 500 ms of the clock at one update per 200 ms: a handful of updates, not twenty.
    expect(updates.length).toBeLessThanOrEqual(6);
    // The first output (what Claude wrote first) goes at once, not at the next tick of the interval.
    expect(String(updates[1]?.params.text)).toContain('is writing');
    expect((updates[1]?.at ?? 0) - (updates[0]?.at ?? 0)).toBeLessThan(200);
    for (let i = 2; i < updates.length; i++) {
      expect((updates[i]?.at ?? 0) - (updates[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(200);
    }
  });

  it('never goes back to an earlier phase, and sends nothing after close', async () => {
    const progress = reporter(50);
    progress.report({ phase: 'thinking' });
    await sleep(80);
    progress.report({ phase: 'reading', messages: 1, files: 0 });
    await sleep(80);
    progress.report({ phase: 'writing', summary: 'first' });
    progress.report({ phase: 'writing', summary: 'second' });
    await progress.close();
    const sent = slack.callsTo('chat.update').length;
    progress.report({ phase: 'writing', summary: 'third' });
    await sleep(100);
    const texts = slack.callsTo('chat.update').map((c) => String(c.params.text));
    expect(texts).toHaveLength(sent);
    expect(texts.map((t) => /reading|thinking|writing/.exec(t)?.[0])).toEqual(['thinking', 'writing']);
    expect(texts.join('\n')).not.toContain('second');
  });

  it('reads the summary out of a partially streamed review', () => {
    expect(tldrOf({ tldr: 'So far' })).toBe('So far');
    expect(tldrOf({ whatChanged: 'x' })).toBeUndefined();
    expect(tldrOf('nonsense')).toBeUndefined();
    expect(tldrOf(null)).toBeUndefined();
  });
});
