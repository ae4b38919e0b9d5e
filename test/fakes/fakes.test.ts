import Anthropic from '@anthropic-ai/sdk';
import { LogLevel, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { ReviewSchema } from '../../src/domain/review';
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
      'Peak orders per second?',
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

  describe('the cumulative text limit of one message', () => {
    const plain = (text: string) => ({ type: 'plain_text', text });
    const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
    /**
     * Every block within its own limit: 150 (header) + 3 × 3,000 (section text) + 2 × 1,000 (fields)
     * + `contextChars` (context) + 75 (button label) + the two feedback labels.
     */
    const blocksWithin = (contextChars: number, positiveLabel = 'Helpful') => [
      { type: 'header', text: plain('h'.repeat(150)) },
      ...[1, 2, 3].map(() => ({ type: 'section', text: mrkdwn('s'.repeat(3000)) })),
      { type: 'section', fields: [mrkdwn('f'.repeat(1000)), mrkdwn('g'.repeat(1000))] },
      { type: 'context', elements: [mrkdwn('c'.repeat(contextChars))] },
      { type: 'actions', elements: [{ type: 'button', action_id: 'b', text: plain('b'.repeat(75)) }] },
      {
        type: 'context_actions',
        elements: [
          {
            type: 'feedback_buttons',
            action_id: 'fb',
            positive_button: { text: plain(positiveLabel), value: 'up' },
            negative_button: { text: plain('Not helpful'), value: 'down' },
          },
        ],
      },
    ];

    it('posts 12,000 characters of block text, and refuses one more with msg_blocks_too_long', async () => {
      const atLimit = blocksWithin(757);
      const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'review', blocks: atLimit });
      expect(posted.message?.blocks).toEqual(atLimit);

      const over = platformError(
        slack.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: blocksWithin(758) }),
      );
      expect((await over).data?.error).toBe('msg_blocks_too_long');
      // Labels count too: one more character on the thumbs-up button tips the same message over.
      const labelled = blocksWithin(757, 'Helpful!');
      const overByLabel = platformError(
        slack.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: labelled }),
      );
      expect((await overByLabel).data?.error).toBe('msg_blocks_too_long');
      expect(fake.channelMessages(CHANNEL)).toHaveLength(1);
    });

    it('chat.update keeps the old message and chat.postEphemeral sends nothing past the limit', async () => {
      const posted = await slack.chat.postMessage({
        channel: CHANNEL,
        text: 'short',
        blocks: blocksWithin(10),
      });
      const update = slack.chat.update({
        channel: CHANNEL,
        ts: String(posted.ts),
        text: 'long',
        blocks: blocksWithin(758),
      });
      expect((await platformError(update)).data?.error).toBe('msg_blocks_too_long');
      expect(fake.channelMessages(CHANNEL)[0]).toMatchObject({ text: 'short', blocks: blocksWithin(10) });

      const ephemeral = slack.chat.postEphemeral({
        channel: CHANNEL,
        user: 'U1',
        text: 'x',
        blocks: blocksWithin(758),
      });
      expect((await platformError(ephemeral)).data?.error).toBe('msg_blocks_too_long');
      expect(fake.ephemerals).toEqual([]);
    });
  });

  describe('context_actions and section expand', () => {
    const plain = (text: string) => ({ type: 'plain_text', text });
    const feedback = (positive: Record<string, unknown>, negative?: Record<string, unknown>) => ({
      type: 'feedback_buttons',
      action_id: 'review_feedback',
      positive_button: positive,
      ...(negative ? { negative_button: negative } : {}),
    });
    const refusal = async (blocks: { type: string; [key: string]: unknown }[]) =>
      (await platformError(slack.chat.postMessage({ channel: CHANNEL, text: 'x', blocks }))).data;

    it('accepts feedback and trash buttons in a context_actions block, and an expanded section', async () => {
      const blocks = [
        { type: 'section', expand: true, text: { type: 'mrkdwn', text: '*Verdict:* sound with changes' } },
        {
          type: 'context_actions',
          elements: [
            feedback(
              { text: plain('👍'), value: 'helpful', accessibility_label: 'This review helped' },
              { text: plain('👎'), value: 'not_helpful' },
            ),
            {
              type: 'icon_button',
              icon: 'trash',
              text: plain('Delete'),
              action_id: 'delete_review',
              value: 'r1',
            },
          ],
        },
      ];
      const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'review', blocks });
      expect(posted.message?.blocks).toEqual(blocks);
    });

    it('refuses feedback buttons Slack would refuse, naming each problem', async () => {
      const data = await refusal([
        {
          type: 'context_actions',
          elements: [feedback({ text: { type: 'mrkdwn', text: 'x'.repeat(76) }, value: 'v'.repeat(2001) })],
        },
      ]);
      expect(data?.error).toBe('invalid_blocks');
      expect(data?.errors).toEqual([
        'block 0 positive_button text is 76 chars > 75',
        'block 0 positive_button text must be plain_text',
        'block 0 positive_button value is 2001 chars > 2000',
        'block 0 feedback_buttons negative_button is missing',
      ]);
    });

    it('refuses other elements, more than five, an unknown icon, and a non-boolean expand', async () => {
      const button = { type: 'button', action_id: 'b', text: plain('Go') };
      expect((await refusal([{ type: 'context_actions', elements: [button] }]))?.errors).toEqual([
        'block 0 context_actions cannot hold button',
      ]);
      const six = [1, 2, 3, 4, 5, 6].map((n) => ({
        type: 'icon_button',
        icon: 'trash',
        text: plain('Delete'),
        action_id: `d${n}`,
      }));
      expect((await refusal([{ type: 'context_actions', elements: six }]))?.errors).toEqual([
        'block 0 context_actions has 6 elements',
      ]);
      const pencil = { type: 'icon_button', icon: 'pencil', text: plain('Edit'), action_id: 'e' };
      expect((await refusal([{ type: 'context_actions', elements: [pencil] }]))?.errors).toEqual([
        'block 0 icon_button icon must be trash',
      ]);
      const section = { type: 'section', expand: 'yes', text: { type: 'mrkdwn', text: 'x' } };
      expect((await refusal([section]))?.errors).toEqual(['block 0 section expand must be a boolean']);
      expect(fake.channelMessages(CHANNEL)).toEqual([]);
    });
  });

  it('answers a 429 with Retry-After, which the WebClient waits out and retries', async () => {
    const patient = webClient(fake, TOKEN, {
      rejectRateLimitedCalls: false,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    const waits: number[] = [];
    patient.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number) => waits.push(retryAfterSec));
    fake.failNext('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSec: 1 });
    const posted = await patient.chat.postMessage({ channel: CHANNEL, text: 'eventually' });
    expect(posted.ok).toBe(true);
    // The client read the fake's Retry-After (it waits out what it reads), then retried once.
    expect(waits).toEqual([1]);
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

  describe('the agent surface', () => {
    it('takes up to four suggested prompts, without thread_ts for the agent DM, and refuses a fifth', async () => {
      const dm = fake.imChannel('U0ALICE');
      const prompts = [1, 2, 3, 4].map((n) => ({ title: `P${n}`, message: `prompt ${n}` }));
      await slack.apiCall('assistant.threads.setSuggestedPrompts', { channel_id: dm, prompts });
      expect(fake.suggestedPrompts).toEqual([{ channel_id: dm, prompts }]);
      const five = [...prompts, { title: 'P5', message: 'prompt 5' }];
      const error = await platformError(
        slack.assistant.threads.setSuggestedPrompts({ channel_id: dm, thread_ts: '1.1', prompts: five }),
      );
      expect(error.data?.error).toBe('invalid_arguments');
    });

    it('sets a conversation title only on a thread that exists', async () => {
      const dm = fake.imChannel('U0ALICE');
      const ts = fake.addMessage(dm, { user: 'U0ALICE', text: 'review my design' });
      await slack.assistant.threads.setTitle({ channel_id: dm, thread_ts: ts, title: 'My design' });
      expect(fake.threadTitles).toEqual([{ channel_id: dm, thread_ts: ts, title: 'My design' }]);
      const error = await platformError(
        slack.assistant.threads.setTitle({ channel_id: dm, thread_ts: '1.000001', title: 'x' }),
      );
      expect(error.data?.error).toBe('invalid_thread_ts');
    });

    it('posts to a user id in the bot’s DM with that user', async () => {
      const res = await slack.chat.postMessage({ channel: 'U0ALICE', text: 'hello' });
      expect(res.channel).toBe(fake.imChannel('U0ALICE'));
      expect(fake.channelMessages(fake.imChannel('U0ALICE')).map((m) => m.text)).toEqual(['hello']);
    });

    it('keeps task cards and the plan title from task_update and plan_update chunks', async () => {
      const threadTs = fake.addMessage(CHANNEL, { user: 'U0ALICE', text: 'design' });
      const started = await slack.chat.startStream({
        channel: CHANNEL,
        thread_ts: threadTs,
        recipient_user_id: 'U0ALICE',
        recipient_team_id: 'T0001',
        task_display_mode: 'plan',
        chunks: [
          { type: 'plan_update', title: 'Reviewing' },
          { type: 'task_update', id: 'read', title: 'Reading the thread', status: 'in_progress' },
        ],
      });
      const ts = String(started.ts);
      await slack.chat.appendStream({
        channel: CHANNEL,
        ts,
        chunks: [{ type: 'task_update', id: 'read', title: 'Reading the thread', status: 'complete' }],
      });
      const bad = await platformError(
        slack.chat.appendStream({
          channel: CHANNEL,
          ts,
          chunks: [{ type: 'task_update', id: 'x', title: 'X', status: 'done' }] as never,
        }),
      );
      expect(bad.data?.error).toBe('invalid_chunks');
      expect(fake.streamOf(ts)).toMatchObject({
        taskDisplayMode: 'plan',
        planTitle: 'Reviewing',
        tasks: [{ id: 'read', status: 'complete' }],
      });
    });

    it('refuses task chunks for an app without the feature, and ends a stream after N appends', async () => {
      const threadTs = fake.addMessage(CHANNEL, { user: 'U0ALICE', text: 'design' });
      const recipient = { recipient_user_id: 'U0ALICE', recipient_team_id: 'T0001' };
      fake.refuseTaskChunks();
      const refused = await platformError(
        slack.chat.startStream({
          channel: CHANNEL,
          thread_ts: threadTs,
          ...recipient,
          chunks: [{ type: 'plan_update', title: 'Reviewing' }],
        }),
      );
      expect(refused.data?.error).toBe('invalid_chunks');
      fake.endStreamsAfterAppends(1);
      const started = await slack.chat.startStream({
        channel: CHANNEL,
        thread_ts: threadTs,
        ...recipient,
        markdown_text: 'a',
      });
      const ts = String(started.ts);
      await slack.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'b' });
      const ended = await platformError(
        slack.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'c' }),
      );
      expect(ended.data?.error).toBe('message_not_in_streaming_state');
      expect(fake.channelMessages(CHANNEL).find((m) => m.ts === ts)?.text).toBe('ab');
    });
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
    tool_choice: { type: 'auto' as const },
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

  it('refuses a forced tool_choice on Claude Sonnet 5.5 with a 400, as the model’s breaking changes say', async () => {
    for (const tool_choice of [{ type: 'tool' as const, name: 'submit_review' }, { type: 'any' as const }]) {
      const error = await client.messages.create({ ...params, tool_choice }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect((error as Error).message).toMatch(/forced tool use is not supported/);
    }
    // Other models still take it.
    const ok = await client.messages.create({
      ...params,
      model: 'claude-opus-5-5',
      tool_choice: { type: 'tool', name: 'submit_review' },
    });
    expect(ok.stop_reason).toBe('tool_use');
  });

  it('refuses a strict tool whose schema strict tool use cannot take, and takes one it can', async () => {
    const strict = (input_schema: Record<string, unknown>) =>
      client.messages
        .create({
          ...params,
          tools: [{ name: 'submit_review', strict: true, input_schema: input_schema as never }],
        })
        .catch((e: unknown) => e);
    const open = await strict({ type: 'object', properties: { a: { type: 'string' } } });
    expect(open).toBeInstanceOf(Anthropic.BadRequestError);
    expect((open as Error).message).toMatch(/additionalProperties: false/);
    const limited = await strict({
      type: 'object',
      additionalProperties: false,
      properties: { a: { type: 'string', maxLength: 60 } },
    });
    expect((limited as Error).message).toMatch(
      /properties\.a\.maxLength: not supported with strict tool use/,
    );
    const fine = await strict({
      type: 'object',
      additionalProperties: false,
      properties: { a: { type: 'string' } },
    });
    expect(fine).toMatchObject({ stop_reason: 'tool_use' });
  });

  it('refuses thinking requests the API refuses: a manual budget on Sonnet 5.5, max effort off Opus, thinking with a forced tool', async () => {
    const problem = (extra: Record<string, unknown>) =>
      client.messages.create({ ...params, ...extra } as never).then(
        () => 'accepted',
        (e: unknown) => (e as Error).message,
      );
    expect(await problem({ thinking: { type: 'enabled', budget_tokens: 2048 } })).toMatch(
      /not supported on claude-sonnet-5-5/,
    );
    expect(await problem({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } })).toMatch(
      /max is not supported/,
    );
    expect(
      await problem({
        model: 'claude-opus-5-5',
        thinking: { type: 'adaptive' },
        tool_choice: { type: 'any' },
      }),
    ).toMatch(/Thinking may not be enabled when tool_choice forces tool use/);
    expect(await problem({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } })).toBe(
      'accepted',
    );
  });

  it('streams a thinking block, with its signature, before the answer when thinking is on', async () => {
    fake.enqueue({ kind: 'review', thinkingTokens: 50 });
    const thinking: string[] = [];
    const message = await client.messages
      .stream({ ...params, thinking: { type: 'adaptive' } } as never)
      .on('thinking', (delta) => thinking.push(delta))
      .finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    expect(thinking.join('')).toHaveLength(200);
    expect(message.content[0]).toMatchObject({ signature: expect.stringMatching(/^sig_/) });
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
