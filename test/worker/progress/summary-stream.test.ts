import { WebClient } from '@slack/web-api';
import { createLogger } from '../../../src/logger';
import { fieldInPartialJson, SummaryStream } from '../../../src/worker/progress/summary-stream';
import { SlackApiFake } from '../../fakes/slack-api-fake';

const CHANNEL = 'C0DESIGN';
const USER = 'U0ALICE';
const TEAM = 'T0001';
const log = createLogger({ level: 'silent' });

describe('fieldInPartialJson', () => {
  it('reads the summary as far as it is written, and says when it is complete', () => {
    expect(fieldInPartialJson('', 'summary')).toBeUndefined();
    expect(fieldInPartialJson('{"summ', 'summary')).toBeUndefined();
    expect(fieldInPartialJson('{"summary":', 'summary')).toBeUndefined();
    expect(fieldInPartialJson('{"summary": "Keep one', 'summary')).toEqual({
      text: 'Keep one',
      complete: false,
    });
    expect(fieldInPartialJson('{"summary":"Keep one DB.","recommended', 'summary')).toEqual({
      text: 'Keep one DB.',
      complete: true,
    });
  });

  it('decodes escapes and leaves out one cut short', () => {
    expect(fieldInPartialJson('{"summary":"a \\"quoted\\" \\u00e9\\nb', 'summary')?.text).toBe(
      'a "quoted" é\nb',
    );
    expect(fieldInPartialJson('{"summary":"tail\\', 'summary')?.text).toBe('tail');
    expect(fieldInPartialJson('{"summary":"tail\\u00', 'summary')?.text).toBe('tail');
    // Half a surrogate pair waits for the other half.
    expect(fieldInPartialJson('{"summary":"ok \\ud83d', 'summary')?.text).toBe('ok ');
    expect(fieldInPartialJson('{"summary":"ok \\ud83d\\ude00', 'summary')?.text).toBe('ok 😀');
  });

  it('takes only the top-level summary, not a key of that name elsewhere', () => {
    const json =
      '{"whatChanged":"the \\"summary\\": \\"x\\" moved","nested":{"summary":"no"},"list":["summary"],"summary":"yes';
    expect(fieldInPartialJson(json, 'summary')).toEqual({ text: 'yes', complete: false });
  });
});

describe('SummaryStream', () => {
  let slack: SlackApiFake;
  let client: WebClient;
  let rootTs: string;
  let recorded: (string | undefined)[];

  beforeEach(async () => {
    slack = await SlackApiFake.start();
    client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    rootTs = slack.addMessage(CHANNEL, { user: USER, text: 'Design' });
    recorded = [];
  });
  afterEach(async () => {
    await slack.close();
  });

  const stream = (idleMs?: number) =>
    new SummaryStream({
      slack: client,
      channel: CHANNEL,
      threadTs: rootTs,
      recipientUserId: USER,
      recipientTeamId: TEAM,
      log,
      onMessage: async (ts) => {
        recorded.push(ts);
      },
      ...(idleMs ? { idleMs } : {}),
    });
  const botReplies = () => slack.threadMessages(CHANNEL, rootTs).filter((m) => m.bot_id);

  it('starts on the first text, appends only what is new, stops when done and deletes on discard', async () => {
    const s = stream();
    expect(await s.show('', false)).toBe(true);
    expect(slack.callsTo('chat.startStream')).toHaveLength(0);
    expect(await s.show('Keep one', false)).toBe(true);
    expect(await s.show('Keep one', false)).toBe(true);
    expect(await s.show('Keep one database.', true)).toBe(true);
    expect(botReplies().map((m) => m.text)).toEqual(['Keep one database.']);
    expect(slack.callsTo('chat.appendStream').map((c) => c.params.markdown_text)).toEqual([' database.']);
    expect(slack.callsTo('chat.stopStream')).toHaveLength(1);
    // A retried answer writing the same summary again is nothing new.
    expect(await s.show('Keep', false)).toBe(true);
    await s.stop();
    expect(slack.callsTo('chat.stopStream')).toHaveLength(1);

    const ts = String(slack.callsTo('chat.startStream')[0]?.response?.ts);
    await s.discard();
    expect(botReplies()).toHaveLength(0);
    expect(recorded).toEqual([ts, undefined]);
    expect(s.usable).toBe(false);
  });

  it('stops a stream about to idle out, and gives way to the placeholder if the summary grows after', async () => {
    const s = stream(50);
    await s.show('Keep one', false);
    await slack.waitFor(() => slack.callsTo('chat.stopStream').length === 1);
    expect(await s.show('Keep one database.', false)).toBe(false);
    expect(slack.callsTo('chat.appendStream')).toHaveLength(0);
    expect(botReplies()).toHaveLength(0);
    expect(recorded.at(-1)).toBeUndefined();
    expect(await s.show('Keep one database. More.', false)).toBe(false);
    expect(slack.callsTo('chat.startStream')).toHaveLength(1);
  });

  it('never lets streamed model text ping or mention anyone, even when a token arrives split across chunks', async () => {
    const s = stream();
    await s.show('Heads up <', false);
    await s.show('Heads up <!channel> and <@U0ALICE>', true);
    const sent = [...slack.callsTo('chat.startStream'), ...slack.callsTo('chat.appendStream')]
      .map((c) => String(c.params.markdown_text))
      .join('');
    expect(sent).not.toMatch(/<[!@#]/);
    expect(sent).toContain('channel');
    expect(slack.callsTo('chat.appendStream').every((c) => c.response?.ok)).toBe(true);
  });

  it('gives way to the placeholder when the summary changes or Slack refuses the stream', async () => {
    const changed = stream();
    await changed.show('Keep one database.', false);
    expect(await changed.show('Split the database.', false)).toBe(false);
    expect(botReplies()).toHaveLength(0);

    slack.failNext('chat.startStream', { error: 'not_allowed_token_type' });
    const refused = stream();
    expect(await refused.show('Keep one', false)).toBe(false);
    expect(refused.usable).toBe(false);
    expect(botReplies()).toHaveLength(0);
  });
});
