import Anthropic from '@anthropic-ai/sdk';
import { ClaudeConsultant } from '../../src/consultation/claude-consultant';
import { consultReview } from '../../src/consultation/consult-review';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { sampleReview } from '../fixtures/sample-review';

let claude: AnthropicFake;
let consultant: ClaudeConsultant;

beforeEach(async () => {
  claude = await AnthropicFake.start();
  const client = new Anthropic({ apiKey: claude.apiKey, baseURL: claude.baseURL, maxRetries: 0 });
  consultant = new ClaudeConsultant(client, { maxTokens: 4096, streamRetries: 0, idleTimeoutMs: 5000 });
});
afterEach(() => claude.close());

const context = (text: string) => ({
  system: [{ type: 'text' as const, text: 'You are an architect.' }],
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }],
  notes: ['files not read: a.zip (type zip not supported)'],
});

test('a finding quoting the design keeps its quote; one quoting nothing sent is marked unverified', async () => {
  const review = sampleReview();
  const [first, second] = review.findings;
  if (!first || !second) throw new Error('the sample review has findings');
  claude.enqueue({
    kind: 'review',
    review: { ...review, findings: [first, { ...second, evidence: 'words the design never said' }] },
    usage: { input_tokens: 900, output_tokens: 300 },
  });
  let clock = 1_000;
  const result = await consultReview(consultant, {
    model: 'claude-sonnet-5-5',
    context: context('Design: the nightly export runs on the primary.'),
    now: () => (clock += 2_500),
  });

  expect(result.review.findings.map((f) => [f.verified, f.evidence])).toEqual([
    [true, 'nightly export'],
    [false, undefined],
  ]);
  expect(result.usage).toMatchObject({ inputTokens: 900, outputTokens: 300 });
  expect(result.claudeMs).toBe(2_500);
  expect(result.notes).toEqual(['files not read: a.zip (type zip not supported)']);
  expect(result.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test('declares both reply tools strict, with schemas strict tool use accepts, and the fake takes them', async () => {
  claude.enqueue({ kind: 'review', review: sampleReview() });
  await consultReview(consultant, { model: 'claude-sonnet-5-5', context: context('Design: one Postgres.') });
  const tools = claude.lastRequest()?.body.tools as {
    name: string;
    strict?: boolean;
    input_schema: object;
  }[];
  expect(tools.map((t) => [t.name, t.strict])).toEqual([
    ['submit_review', true],
    ['submit_review_changes', true],
  ]);
  const schema = JSON.stringify(tools[0]?.input_schema);
  expect(schema).not.toMatch(/"(minLength|maxLength|maxItems)"/);
  // A limit the API cannot enforce is still read by Claude, in the field's description.
  expect(schema).toMatch(/maxLength 140/);
});

test('with thinking on, asks for adaptive thinking at the effort set and takes the review after the thinking block', async () => {
  const thinking = new ClaudeConsultant(
    new Anthropic({ apiKey: claude.apiKey, baseURL: claude.baseURL, maxRetries: 0 }),
    { maxTokens: 8192, thinking: 'medium', streamRetries: 0, idleTimeoutMs: 5000 },
  );
  claude.enqueue({ kind: 'review', review: sampleReview(), thinkingTokens: 600 });
  const partials: string[] = [];
  const result = await consultReview(thinking, {
    model: 'claude-sonnet-5-5',
    context: context('Design: the nightly export runs on the primary.'),
    onPartialReview: (_p, json) => partials.push(json),
  });
  expect(claude.lastRequest()?.body).toMatchObject({
    thinking: { type: 'adaptive' },
    output_config: { effort: 'medium' },
  });
  expect(result.review.headline).toBe(sampleReview().headline);
  // The thinking is billed as output; the review's JSON still streams in for the thread's progress.
  expect(result.usage.outputTokens).toBeGreaterThan(600);
  expect(partials.at(-1)).toContain('"verdict"');
});
