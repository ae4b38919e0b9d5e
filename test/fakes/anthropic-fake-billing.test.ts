import Anthropic from '@anthropic-ai/sdk';
import { longReview } from '../fixtures/reviews';
import { AnthropicFake } from './anthropic-fake';
import { MIN_CACHEABLE_TOKENS } from './prompt-cache';

/**
 * What the benchmark reads from the fake: usage billed the way the API bills prompt caching, and a
 * review streamed a token at a time with the moment each field was complete. Through the real SDK.
 */

const MINUTE = 60_000;
const AGENT_PROMPT = 'You are a backend architect. '.repeat(400);
const THREAD = 'Alice: we plan one Postgres for orders and billing, a Node API and nightly exports. '.repeat(
  60,
);

type Ttl = '5m' | '1h';
const mark = (ttl: Ttl) =>
  ttl === '1h' ? { type: 'ephemeral' as const, ttl } : { type: 'ephemeral' as const };

/** A request shaped like the app's: a cached agent prompt, a cached thread, then the request itself. */
function request(
  ttl: Ttl,
  ask: string,
  extraTurns: Anthropic.MessageParam[] = [],
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: 'claude-sonnet-5-5',
    max_tokens: 4096,
    system: [{ type: 'text', text: AGENT_PROMPT, cache_control: mark(ttl) }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: THREAD, cache_control: mark(ttl) },
          ...extraTurns.flatMap((t) =>
            typeof t.content === 'string' ? [{ type: 'text' as const, text: t.content }] : [],
          ),
          { type: 'text', text: ask },
        ],
      },
    ],
  };
}

let fake: AnthropicFake;
let client: Anthropic;

beforeAll(async () => {
  fake = await AnthropicFake.start();
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('AnthropicFake bills prompt caching as the API does', () => {
  it('writes the marked prefix on the first request and reads it on the next, at the breakpoint’s TTL', async () => {
    const first = await client.messages.create(request('1h', 'Is this sound?'));
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(MIN_CACHEABLE_TOKENS);
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: first.usage.cache_creation_input_tokens,
    });
    // Only the request after the last breakpoint is billed as plain input.
    expect(first.usage.input_tokens).toBeLessThan(20);

    fake.advanceClock(20 * MINUTE);
    const followUp = await client.messages.create(
      request('1h', 'Answer: 2,000 users. Refine the review.', [{ role: 'user', content: 'Is this sound?' }]),
    );
    expect(followUp.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(followUp.usage.cache_creation_input_tokens).toBe(0);
    expect(fake.requests.map((r) => r.usage?.cache_read_input_tokens)).toEqual([
      0,
      followUp.usage.cache_read_input_tokens,
    ]);
  });

  it('lets a five-minute entry expire: a follow-up 20 minutes later writes the whole prefix again', async () => {
    const first = await client.messages.create(request('5m', 'Is this sound?'));
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(
      first.usage.cache_creation_input_tokens,
    );

    fake.advanceClock(2 * MINUTE);
    const soon = await client.messages.create(request('5m', 'Is this sound?'));
    expect(soon.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);

    fake.advanceClock(20 * MINUTE);
    const late = await client.messages.create(request('5m', 'Is this sound?'));
    expect(late.usage.cache_read_input_tokens).toBe(0);
    expect(late.usage.cache_creation_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it('reads the agent prompt alone when the thread before the breakpoint changed', async () => {
    await client.messages.create(request('1h', 'Is this sound?'));
    const other = request('1h', 'Is this sound?');
    const [turn] = other.messages;
    if (turn && Array.isArray(turn.content) && turn.content[0]?.type === 'text')
      turn.content[0].text = `${THREAD} edited`;
    const usage = (await client.messages.create(other)).usage;
    const firstWrite = fake.requests[0]?.usage?.cache_creation_input_tokens ?? 0;
    // The agent prompt is read; the thread after it is written anew.
    expect(usage.cache_read_input_tokens).toBeGreaterThan(0);
    expect(usage.cache_read_input_tokens).toBeLessThan(firstWrite);
    expect(usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('caches nothing below the minimum prefix, and refuses more than four breakpoints', async () => {
    const small = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Short prompt.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(small.usage.cache_creation_input_tokens).toBe(0);
    const five = Array.from({ length: 5 }, (_, i) => ({
      type: 'text' as const,
      text: `part ${i}`,
      cache_control: { type: 'ephemeral' as const },
    }));
    await expect(
      client.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 100,
        system: five,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('AnthropicFake streams a review at a token rate', () => {
  it('sends the tool input in token-sized pieces and records when the headline was complete', async () => {
    const review = longReview();
    fake.enqueue({ kind: 'review', review, tokensPerSec: 20_000 });
    const deltas: string[] = [];
    const stream = client.messages
      .stream({
        model: 'claude-sonnet-5-5',
        max_tokens: 8192,
        messages: [{ role: 'user', content: 'Review?' }],
      })
      .on('inputJson', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    const [block] = message.content;
    expect(block?.type === 'tool_use' && block.input).toEqual(review);

    const json = JSON.stringify(review);
    const tokens = Math.ceil(json.length / 4);
    expect(message.usage.output_tokens).toBe(tokens);
    // Far more deltas than the default few, each a whole number of 4-character tokens but the last.
    expect(deltas.length).toBeGreaterThan(20);
    for (const d of deltas.slice(0, -1)) expect(d.length % 4).toBe(0);

    const sent = fake.lastRequest()?.fieldsSentAt ?? {};
    expect(Object.keys(sent)).toEqual(Object.keys(review));
    expect(sent.headline).toBeLessThanOrEqual(sent.tldr ?? Number.NaN);
    expect(sent.tldr).toBeLessThanOrEqual(sent.clarifyingQuestions ?? Number.NaN);
  });
});
