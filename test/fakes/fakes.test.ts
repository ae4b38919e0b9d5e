import Anthropic from '@anthropic-ai/sdk';
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { ReviewSchema } from '../../src/consultation/review';
import { hugeReview, sampleReview } from '../fixtures/sample-review';
import { AnthropicFake } from './anthropic-fake';
import { SlackApiFake } from './slack-api-fake';

const TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0TEST';

/** A real WebClient aimed at the fake; ERROR level keeps its expected rate-limit and fallback warnings quiet. */
function webClient(fake: SlackApiFake, token: string, opts: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 0 },
    ...opts,
  });
}

/** The error the real WebClient throws for ok:false, narrowed without `any`. */
async function platformError(
  call: Promise<unknown>,
): Promise<{ code?: unknown; data?: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    return error as { code?: unknown; data?: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

describe('sample review fixtures', () => {
  it('sampleReview and hugeReview satisfy the review schema', () => {
    expect(ReviewSchema.safeParse(sampleReview()).success).toBe(true);
    expect(ReviewSchema.safeParse(hugeReview()).success).toBe(true);
    expect(sampleReview().clarifyingQuestions.map((q) => q.label)).toEqual([
      'Expected load?',
      'Data volume and retention?',
      'Compliance requirements?',
    ]);
    expect(sampleReview({ tldr: 'Short.' }).tldr).toBe('Short.');
  });

  it('hugeReview is far beyond one Slack message', () => {
    expect(JSON.stringify(hugeReview()).length).toBeGreaterThan(100_000);
  });
});

describe('SlackApiFake through the real WebClient', () => {
  let fake: SlackApiFake;
  let slack: WebClient;

  beforeAll(async () => {
    fake = await SlackApiFake.start();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    slack = webClient(fake, TOKEN);
  });

  it('answers auth.test with the bot identity', async () => {
    const auth = await slack.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001' });
  });

  it('rejects a wrong token with invalid_auth', async () => {
    const wrong = webClient(fake, 'xoxb-wrong');
    const error = await platformError(wrong.auth.test());
    expect(error.data?.error).toBe('invalid_auth');
  });

  it('stores chat.postMessage in the thread, with form-encoded blocks parsed', async () => {
    const parent = fake.addMessage(CHANNEL, { user: 'U1', text: 'design doc' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Review*' } }];
    const posted = await slack.chat.postMessage({
      channel: CHANNEL,
      thread_ts: parent,
      text: 'Review',
      blocks,
    });
    expect(posted.ok).toBe(true);
    expect(posted.message?.bot_id).toBe('BBOT');

    const call = fake.callsTo('chat.postMessage')[0];
    expect(call?.params.blocks).toEqual(blocks);
    expect(call?.params.token).toBeUndefined();
    const thread = fake.threadMessages(CHANNEL, parent);
    expect(thread.map((m) => m.text)).toEqual(['design doc', 'Review']);
    expect(thread[1]).toMatchObject({ ts: posted.ts, thread_ts: parent, user: 'UBOT', blocks });
  });

  it('updates a message and refuses an unknown ts', async () => {
    const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'Working on it…' });
    await slack.chat.update({ channel: CHANNEL, ts: String(posted.ts), text: 'Done' });
    expect(fake.channelMessages(CHANNEL)[0]?.text).toBe('Done');
    const error = await platformError(slack.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' }));
    expect(error.data?.error).toBe('message_not_found');
  });

  it('pages conversations.replies through WebClient.paginate', async () => {
    const parent = fake.addMessage(CHANNEL, { user: 'U1', text: 'root' });
    for (let i = 0; i < 6; i++)
      fake.addMessage(CHANNEL, { user: 'U2', text: `reply ${i}`, thread_ts: parent });
    const pages: string[][] = [];
    for await (const page of slack.paginate('conversations.replies', {
      channel: CHANNEL,
      ts: parent,
      limit: 3,
    })) {
      // paginate() yields untyped pages; narrow the one field the assertion needs.
      const messages: unknown = 'messages' in page ? page.messages : undefined;
      pages.push(Array.isArray(messages) ? messages.map((m: { text?: unknown }) => String(m.text)) : []);
    }
    expect(pages).toEqual([['root', 'reply 0', 'reply 1'], ['reply 2', 'reply 3', 'reply 4'], ['reply 5']]);
    const first = await slack.conversations.replies({ channel: CHANNEL, ts: parent, limit: 3 });
    expect(first.has_more).toBe(true);
    expect(first.messages?.[0]).toMatchObject({ reply_count: 6, thread_ts: parent });
  });

  it('answers thread_not_found and channel_not_found like Slack', async () => {
    expect(
      (await platformError(slack.conversations.replies({ channel: CHANNEL, ts: '1.1' }))).data?.error,
    ).toBe('thread_not_found');
    fake.setChannelMissing('CGONE');
    const error = await platformError(slack.chat.postMessage({ channel: 'CGONE', text: 'hi' }));
    expect(error.data?.error).toBe('channel_not_found');
  });

  it('reads single messages with conversations.history latest/oldest/inclusive', async () => {
    const a = fake.addMessage(CHANNEL, { user: 'U1', text: 'a' });
    const b = fake.addMessage(CHANNEL, { user: 'U1', text: 'b' });
    fake.addMessage(CHANNEL, { user: 'U1', text: 'reply', thread_ts: a });
    const all = await slack.conversations.history({ channel: CHANNEL });
    expect(all.messages?.map((m) => m.text)).toEqual(['b', 'a']);
    const one = await slack.conversations.history({
      channel: CHANNEL,
      latest: b,
      oldest: b,
      inclusive: true,
    });
    expect(one.messages?.map((m) => m.text)).toEqual(['b']);
  });

  it('answers users.info and user_not_found', async () => {
    fake.addUser('U1', { name: 'alice', real_name: 'Alice Smith', display_name: 'Alice' });
    const info = await slack.users.info({ user: 'U1' });
    expect(info.user).toMatchObject({ id: 'U1', name: 'alice', profile: { display_name: 'Alice' } });
    expect((await platformError(slack.users.info({ user: 'U404' }))).data?.error).toBe('user_not_found');
  });

  it('refuses blocks Slack would refuse with invalid_blocks and the violations', async () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    const error = await platformError(slack.chat.postMessage({ channel: CHANNEL, text: 'x', blocks }));
    expect(error.data?.error).toBe('invalid_blocks');
    expect(error.data?.errors).toEqual(['block 0 header text is 151 chars > 150']);
    expect(fake.callsTo('chat.postMessage')[0]?.response?.ok).toBe(false);
  });

  it('refuses a message with neither text nor blocks, and text over 40,000 chars', async () => {
    expect((await platformError(slack.chat.postMessage({ channel: CHANNEL, text: '' }))).data?.error).toBe(
      'no_text',
    );
    const long = 'x'.repeat(40_001);
    expect((await platformError(slack.chat.postMessage({ channel: CHANNEL, text: long }))).data?.error).toBe(
      'msg_too_long',
    );
  });

  it('answers a 429 with Retry-After, which the WebClient waits out and retries', async () => {
    const patient = webClient(fake, TOKEN, {
      rejectRateLimitedCalls: false,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    fake.failNext('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSec: 1 });
    const started = Date.now();
    const posted = await patient.chat.postMessage({ channel: CHANNEL, text: 'eventually' });
    expect(posted.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('records ephemerals, views and assistant statuses', async () => {
    await slack.chat.postEphemeral({ channel: CHANNEL, user: 'U1', text: 'only you' });
    expect(fake.ephemerals).toMatchObject([{ channel: CHANNEL, user: 'U1', text: 'only you' }]);
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    expect((await platformError(slack.views.open({ trigger_id: '', view }))).data?.error).toBe(
      'invalid_arguments',
    );
    const opened = await slack.views.open({ trigger_id: '123.456', view });
    expect(opened.view?.id).toMatch(/^V/);
    await slack.assistant.threads.setStatus({
      channel_id: CHANNEL,
      thread_ts: '1.2',
      status: 'is thinking…',
    });
    expect(fake.assistantStatuses[0]?.status).toBe('is thinking…');
  });

  it('serves files to the bot token only', async () => {
    const file = fake.addFile('F1', {
      name: 'design.txt',
      mimetype: 'text/plain',
      content: Buffer.from('hi'),
    });
    const denied = await fetch(file.url_private);
    expect(denied.status).toBe(401);
    const allowed = await fetch(file.url_private, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await allowed.text()).toBe('hi');
  });

  it('waitFor reports recent calls when it times out', async () => {
    await slack.auth.test();
    await expect(fake.waitFor(() => undefined, 60)).rejects.toThrow(/auth\.test/);
  });
});

describe('AnthropicFake through the real Anthropic SDK', () => {
  let fake: AnthropicFake;
  let client: Anthropic;
  const params = {
    model: 'claude-sonnet-5-5',
    max_tokens: 1024,
    messages: [{ role: 'user' as const, content: 'Review my design' }],
    tools: [{ name: 'submit_review', input_schema: { type: 'object' as const } }],
    tool_choice: { type: 'tool' as const, name: 'submit_review' },
  };

  beforeAll(async () => {
    fake = await AnthropicFake.start();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.baseURL, maxRetries: 2 });
  });

  it('answers a non-streaming create with one tool_use block holding the review', async () => {
    const message = await client.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.model).toBe(params.model);
    const [block] = message.content;
    expect(block?.type === 'tool_use' && block.name).toBe('submit_review');
    expect(block?.type === 'tool_use' && block.input).toEqual(sampleReview());
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(fake.lastRequest()?.body.messages).toEqual(params.messages);
    // SDK 1.x sends the API key as a bearer token, not as x-api-key.
    expect(fake.lastRequest()?.headers.authorization).toBe('Bearer sk-ant-test');
  });

  it('streams a tool_use whose finalMessage input equals the review', async () => {
    const review = sampleReview({ tldr: 'Streamed review.' });
    fake.enqueue({ kind: 'review', review, usage: { cache_read_input_tokens: 42 } });
    const events: string[] = [];
    const stream = client.messages.stream(params).on('streamEvent', (e) => events.push(e.type));
    const message = await stream.finalMessage();
    const [block] = message.content;
    expect(block?.type === 'tool_use' && block.input).toEqual(review);
    expect(message.usage.cache_read_input_tokens).toBe(42);
    expect(events.filter((t) => t === 'content_block_delta').length).toBeGreaterThanOrEqual(5);
    expect(events.at(-1)).toBe('message_stop');
  });

  it('streams text answers as text deltas', async () => {
    fake.enqueue({ kind: 'text', text: 'I would rather chat.' });
    const message = await client.messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'I would rather chat.' }),
    ]);
  });

  it('529 then success: the SDK retries on its own', async () => {
    fake.enqueue(
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: 10 },
      { kind: 'review' },
    );
    const message = await client.messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it('a 400 surfaces as Anthropic.BadRequestError with the message and request id', async () => {
    fake.enqueue({
      kind: 'error',
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long',
    });
    const error = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const apiError = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(apiError.message).toContain('prompt is too long');
    expect(apiError.requestID).toMatch(/^req_/);
    expect(fake.requests).toHaveLength(1);
  });

  it('a wrong API key gets the real 401 authentication_error', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.baseURL, maxRetries: 0 });
    await expect(wrong.messages.create(params)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('dropMidStream makes the stream reject', async () => {
    fake.enqueue({ kind: 'dropMidStream' });
    // Once a 200 has started streaming the SDK cannot retry: the stream rejects with the socket error.
    await expect(client.messages.stream(params).finalMessage()).rejects.toThrow();
    expect(fake.requests).toHaveLength(1);
  });

  it('dropMidStream on a non-streaming request is a connection error the SDK retries', async () => {
    fake.enqueue({ kind: 'dropMidStream' }, { kind: 'review' });
    const message = await client.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    expect(fake.requests).toHaveLength(2);
  });

  it('hang never answers, until the client gives up', async () => {
    fake.enqueue({ kind: 'hang' });
    const impatient = new Anthropic({
      apiKey: 'sk-ant-test',
      baseURL: fake.baseURL,
      maxRetries: 0,
      timeout: 200,
    });
    await expect(impatient.messages.create(params)).rejects.toBeInstanceOf(
      Anthropic.APIConnectionTimeoutError,
    );
  });

  it('counts tokens', async () => {
    const counted = await client.messages.countTokens({ model: params.model, messages: params.messages });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });
});
