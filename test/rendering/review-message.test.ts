import type { Button, KnownBlock } from '@slack/web-api';
import { type Review, ReviewSchema } from '../../src/consultation/review';
import { decodeQuestionButtonValue } from '../../src/rendering/question-button';
import {
  ANSWER_QUESTIONS_ACTION_ID,
  ASK_ANOTHER_AGENT_ACTION_ID,
  MAX_QUESTION_BUTTONS,
  type ReviewMeta,
  renderReview,
} from '../../src/rendering/review-message';
import { blockTextLength, MESSAGE_TEXT_BUDGET, type SlackMessage } from '../../src/rendering/slack-message';
import { blockKitViolations } from '../fakes/block-kit-rules';

const meta: ReviewMeta = {
  requestId: 'req-123',
  agentName: 'backend-architect',
  model: 'claude-sonnet-4-5',
  durationMs: 12_345,
  usage: { inputTokens: 1234, outputTokens: 567, cacheReadTokens: 100, cacheWriteTokens: 50 },
  notes: ['files not read: x.zip (archive)'],
};

const sampleReview: Review = {
  summary: 'Solid plan overall. Split the write path from the read path before launch.',
  recommendedArchitecture: {
    overview: 'A modular monolith behind an API gateway, with a queue for slow work.',
    components: [
      { name: 'API gateway', responsibility: 'Authentication and rate limiting' },
      { name: 'Worker pool', responsibility: 'Runs slow jobs from the queue' },
    ],
  },
  decisions: [{ decision: 'Use PostgreSQL as the system of record', rationale: 'The data is relational.' }],
  alternatives: [
    { option: 'Microservices from day one', tradeoffs: 'Independent scaling, much more ops work.' },
  ],
  risks: [
    { risk: 'Queue backlog during spikes', severity: 'high', mitigation: 'Autoscale workers on queue depth' },
    { risk: 'Schema drift', severity: 'medium', mitigation: 'Migrations in CI' },
    { risk: 'Log volume costs', severity: 'low', mitigation: 'Sample debug logs' },
  ],
  roadmap: [
    { phase: 'Phase 1: MVP', items: ['Gateway and monolith', 'Basic queue'] },
    { phase: 'Phase 2: Scale', items: ['Read replicas'] },
  ],
  technologies: [
    { name: 'PostgreSQL', version: '16', purpose: 'Primary database' },
    { name: 'Redis', purpose: 'Queue backend' },
  ],
  scalability: 'Comfortable up to 2k requests per second on two instances.',
  security: 'Encrypt PII at rest; SOC 2 needs audit logs.',
  clarifyingQuestions: [
    { label: 'Expected load?', question: 'What peak request rate do you expect in the first year?' },
    { label: 'Data residency?', question: 'Must any data stay in the EU?' },
  ],
};

/** Every string a user could read in the messages: fallbacks and all text objects in the blocks. */
function visibleText(messages: SlackMessage[]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'text' && typeof child === 'string') out.push(child);
        else walk(child);
      }
    }
  };
  for (const m of messages) {
    out.push(m.text);
    walk(m.blocks);
  }
  return out.join('\n');
}

const blocksOfType = <T extends KnownBlock['type']>(messages: SlackMessage[], type: T) =>
  messages.flatMap((m) => m.blocks).filter((b): b is Extract<KnownBlock, { type: T }> => b.type === type);

/** The clarifying-question buttons (not "Answer questions" or other controls). */
function buttonsOf(messages: SlackMessage[]) {
  return blocksOfType(messages, 'actions').flatMap((a) =>
    a.elements.filter(
      (e): e is Button => e.type === 'button' && e.action_id?.startsWith('clarify_question_') === true,
    ),
  );
}

function elementsOf(messages: SlackMessage[]) {
  return blocksOfType(messages, 'actions').flatMap((a) => a.elements);
}

function expectWithinSlackLimits(messages: SlackMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    expect(blockKitViolations(m.blocks)).toEqual([]);
    expect(m.text.length).toBeGreaterThan(0);
    expect(m.text.length).toBeLessThan(4000);
  }
}

const repeat = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);

function hugeReview(): Review {
  return {
    summary: repeat('The summary goes on and on. ', 2500),
    recommendedArchitecture: {
      overview: repeat('Overview sentence with words. ', 4000),
      components: Array.from({ length: 40 }, (_, i) => ({
        name: `Component ${i}`,
        responsibility: repeat(`Responsibility of component ${i}. `, 300),
      })),
    },
    decisions: Array.from({ length: 40 }, (_, i) => ({
      decision: `Decision number ${i} is unique`,
      rationale: repeat(`Rationale ${i} explains why. `, 600),
    })),
    alternatives: Array.from({ length: 20 }, (_, i) => ({
      option: `Alternative ${i}`,
      tradeoffs: repeat('Gains this, costs that. ', 400),
    })),
    risks: Array.from({ length: 30 }, (_, i) => ({
      risk: `Risk ${i}: ${repeat('something breaks ', 200)}`,
      severity: (['low', 'medium', 'high'] as const)[i % 3] ?? 'low',
      mitigation: repeat('Mitigate it carefully. ', 300),
    })),
    roadmap: Array.from({ length: 10 }, (_, p) => ({
      phase: `Phase ${p}`,
      items: Array.from({ length: 10 }, (_, i) => `Item ${p}.${i}: ${repeat('build the thing ', 120)}`),
    })),
    technologies: Array.from({ length: 30 }, (_, i) => ({
      name: `Tech ${i}`,
      version: `${i}.0`,
      purpose: repeat('Used for a purpose. ', 200),
    })),
    scalability: repeat('Scales well until it does not. ', 5000),
    security: repeat('Encrypt everything. ', 5000),
    clarifyingQuestions: Array.from({ length: 12 }, (_, i) => ({
      label: `Question label ${i} ${repeat('x', 120)}`,
      question: `Question ${i}? ${repeat('Please tell us more about it. ', 1500)}`,
    })),
  };
}

describe('renderReview', () => {
  it('renders one message with a header, every section title and its content', () => {
    expect(ReviewSchema.safeParse(sampleReview).success).toBe(true);
    const messages = renderReview(sampleReview, meta);
    expect(messages).toHaveLength(1);
    expectWithinSlackLimits(messages);

    const [header] = blocksOfType(messages, 'header');
    expect(header?.text.text).toContain('Architecture review');

    const text = visibleText(messages);
    for (const title of [
      '*Recommended architecture*',
      '*Key decisions*',
      '*Alternatives &amp; trade-offs*',
      '*Risks*',
      '*Roadmap*',
      '*Technology recommendations*',
      '*Scalability &amp; performance*',
      '*Security &amp; compliance*',
      '*Clarifying questions*',
    ]) {
      expect(text).toContain(title);
    }
    expect(text).toContain(sampleReview.summary);
    expect(text).toContain('A modular monolith behind an API gateway');
    expect(text).toContain('• *API gateway* — Authentication and rate limiting');
    expect(text).toContain('• *Use PostgreSQL as the system of record*\n_The data is relational._');
    expect(text).toContain('• *Microservices from day one* — Independent scaling, much more ops work.');
    expect(text).toContain(':red_circle: *High* — Queue backlog during spikes');
    expect(text).toContain(':large_orange_circle: *Medium* — Schema drift');
    expect(text).toContain(':white_circle: *Low* — Log volume costs');
    expect(text).toContain('_Mitigation:_ Autoscale workers on queue depth');
    expect(text).toContain('*Phase 1: MVP*\n• Gateway and monolith\n• Basic queue');
    expect(text).toContain('• *PostgreSQL 16* — Primary database');
    expect(text).toContain('• *Redis* — Queue backend');
    expect(text).toContain('Comfortable up to 2k requests per second');
    expect(text).toContain('SOC 2 needs audit logs');
    expect(text).toContain('What peak request rate do you expect in the first year?');
    expect(text).toContain('Must any data stay in the EU?');
    expect(blocksOfType(messages, 'divider').length).toBeGreaterThanOrEqual(8);
  });

  it('uses the agent and summary as the fallback text', () => {
    const [first] = renderReview(sampleReview, meta);
    expect(first?.text).toBe(`Architecture review by backend-architect: ${sampleReview.summary}`);
  });

  it('adds one button per question whose value decodes back to the question', () => {
    const messages = renderReview(sampleReview, meta);
    const buttons = buttonsOf(messages);
    expect(buttons.map((b) => b.text.text)).toEqual(['Expected load?', 'Data residency?']);
    expect(buttons.map((b) => b.action_id)).toEqual(['clarify_question_0', 'clarify_question_1']);
    buttons.forEach((b, index) => {
      const decoded = decodeQuestionButtonValue(b.value ?? '');
      expect(decoded).toEqual({
        ok: true,
        value: { v: 1, requestId: 'req-123', index, label: sampleReview.clarifyingQuestions[index]?.label },
      });
    });
  });

  it('ends with the buttons and then the context line with model, time, tokens and notes', () => {
    const messages = renderReview(sampleReview, meta);
    const blocks = messages[messages.length - 1]?.blocks ?? [];
    expect(blocks[blocks.length - 2]?.type).toBe('actions');
    const context = blocks[blocks.length - 1];
    expect(context?.type).toBe('context');
    const contextText = visibleText([{ text: '', blocks: context ? [context] : [] }]);
    expect(contextText).toContain(
      'backend-architect · claude-sonnet-4-5 · 12.3 s · 1,234 in / 567 out tokens (cache: 100 read, 50 written)',
    );
    expect(contextText).toContain('files not read: x.zip (archive)');
  });

  it('leaves out the actions block and empty sections when there is nothing to show', () => {
    const bare: Review = {
      ...sampleReview,
      alternatives: [],
      technologies: [],
      security: '  ',
      clarifyingQuestions: [],
    };
    const messages = renderReview(bare, { ...meta, notes: undefined });
    expectWithinSlackLimits(messages);
    expect(blocksOfType(messages, 'actions')).toHaveLength(0);
    const text = visibleText(messages);
    expect(text).not.toContain('Alternatives');
    expect(text).not.toContain('Technology recommendations');
    expect(text).not.toContain('Security');
    expect(text).not.toContain('Clarifying questions');
    const blocks = messages[0]?.blocks ?? [];
    expect(blocks[blocks.length - 1]?.type).toBe('context');
    expect(blocks[blocks.length - 2]?.type).not.toBe('divider');
  });

  it('escapes model output so it cannot ping the channel or inject links', () => {
    const evil: Review = {
      ...sampleReview,
      summary: 'Hey <!channel> look at <https://evil.example|this> & <@U123>',
      decisions: [{ decision: '<!here>', rationale: '<https://evil|x>' }],
      clarifyingQuestions: [{ label: '<!channel>', question: 'Is <!everyone> there?' }],
    };
    const messages = renderReview(evil, { ...meta, agentName: '<!channel>', notes: ['<https://evil|x>'] });
    expectWithinSlackLimits(messages);
    // Everything Slack parses as mrkdwn: fallbacks and all blocks but the plain_text header and buttons.
    const mrkdwn = messages
      .map(
        (m) => m.text + JSON.stringify(m.blocks.filter((b) => b.type !== 'header' && b.type !== 'actions')),
      )
      .join('\n');
    expect(mrkdwn).not.toContain('<!');
    expect(mrkdwn).not.toContain('<https');
    expect(mrkdwn).not.toContain('<@');
    const text = visibleText(messages);
    expect(text).toContain(
      'Hey &lt;!channel&gt; look at &lt;https://evil.example|this&gt; &amp; &lt;@U123&gt;',
    );
    expect(text).toContain('&lt;https://evil|x&gt;');
    expect(text).toContain('&lt;!here&gt;');
  });

  it('splits a 10,000-char single-line overview into sections within the limits', () => {
    const words = 'architecture '.repeat(770).trim(); // 10,009 chars, one line
    const noSpaces = repeat('x', 10_000);
    for (const overview of [words, noSpaces]) {
      const messages = renderReview(
        { ...sampleReview, recommendedArchitecture: { overview, components: [] } },
        meta,
      );
      expectWithinSlackLimits(messages);
      const sections = blocksOfType(messages, 'section').filter(
        (s) => s.text?.text.includes('xxxx') || s.text?.text.includes('architecture architecture'),
      );
      expect(sections.length).toBeGreaterThanOrEqual(4);
    }
    // Split at spaces, so every word survives whole.
    const messages = renderReview(
      { ...sampleReview, recommendedArchitecture: { overview: words, components: [] } },
      meta,
    );
    const overviewLines = blocksOfType(messages, 'section')
      .flatMap((s) => (s.text?.text ?? '').split('\n'))
      .filter((line) => line.startsWith('architecture'));
    expect(overviewLines.length).toBeGreaterThanOrEqual(4);
    for (const line of overviewLines) expect(line.split(' ').every((w) => w === 'architecture')).toBe(true);
  });

  it('spreads a huge review over several messages within every limit, keeping all content', () => {
    const huge = hugeReview();
    expect(ReviewSchema.safeParse(huge).success).toBe(true);
    const messages = renderReview(huge, meta);
    expect(messages.length).toBeGreaterThan(1);
    expectWithinSlackLimits(messages);
    // Slack answers msg_blocks_too_long past about 12,000 characters of block text in one message.
    for (const m of messages) expect(blockTextLength(m.blocks)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);

    const text = visibleText(messages);
    for (const d of huge.decisions) expect(text).toContain(d.decision);
    for (const r of huge.risks) expect(text).toContain(`Risk ${huge.risks.indexOf(r)}:`);
    for (const q of huge.clarifyingQuestions) expect(text).toContain(q.question.slice(0, 40));

    // Header only once, at the start; continuations say so in their fallback text.
    expect(messages[0]?.blocks[0]?.type).toBe('header');
    expect(blocksOfType(messages, 'header')).toHaveLength(1);
    messages.slice(1).forEach((m, i) => {
      expect(m.text).toContain(`(continued ${i + 2}/${messages.length})`);
    });

    // The buttons and context line are where the review ends.
    const last = messages[messages.length - 1]?.blocks ?? [];
    expect(last[last.length - 1]?.type).toBe('context');
    expect(last[last.length - 2]?.type).toBe('actions');
    expect(messages.slice(0, -1).every((m) => m.blocks.every((b) => b.type !== 'actions'))).toBe(true);

    const buttons = buttonsOf(messages);
    expect(buttons).toHaveLength(MAX_QUESTION_BUTTONS);
    buttons.forEach((b, index) => {
      expect(b.text.text.length).toBeLessThanOrEqual(75);
      expect(b.text.text.endsWith('…')).toBe(true);
      const decoded = decodeQuestionButtonValue(b.value ?? '');
      expect(decoded.ok && decoded.value.index).toBe(index);
    });
  });

  it('offers "Answer questions" for all open questions, carrying the request id', () => {
    const messages = renderReview(sampleReview, meta);
    const answerAll = elementsOf(messages).find((e) => e.action_id === ANSWER_QUESTIONS_ACTION_ID);
    expect(answerAll).toMatchObject({ type: 'button', text: { text: 'Answer questions' } });
    expect(JSON.parse((answerAll as { value: string }).value)).toEqual({ v: 1, requestId: meta.requestId });
  });

  it('has no answer controls when the review asks nothing', () => {
    const messages = renderReview({ ...sampleReview, clarifyingQuestions: [] }, meta);
    expect(elementsOf(messages).some((e) => e.action_id === ANSWER_QUESTIONS_ACTION_ID)).toBe(false);
  });

  it('offers the other agents in an "Ask another agent" menu', () => {
    const messages = renderReview(sampleReview, {
      ...meta,
      otherAgents: ['data-architect', 'security-reviewer'],
    });
    const menu = elementsOf(messages).find((e) => e.action_id === ASK_ANOTHER_AGENT_ACTION_ID) as
      | { options: { text: { text: string }; value: string }[] }
      | undefined;
    expect(menu?.options.map((o) => o.text.text)).toEqual(['data-architect', 'security-reviewer']);
    expect(JSON.parse(menu?.options[0]?.value ?? '')).toEqual({
      v: 1,
      requestId: meta.requestId,
      agent: 'data-architect',
    });
    expectWithinSlackLimits(messages);
    expect(
      elementsOf(renderReview(sampleReview, meta)).some((e) => e.action_id === ASK_ANOTHER_AGENT_ACTION_ID),
    ).toBe(false);
  });

  it('puts "What changed" at the top of a follow-up review', () => {
    const [first] = renderReview(
      { ...sampleReview, whatChanged: 'Sharding dropped: 2k users need no shards.' },
      meta,
    );
    const texts = (first?.blocks ?? []).map((b) => JSON.stringify(b));
    const changed = texts.findIndex((t) => t.includes('What changed'));
    const summary = texts.findIndex((t) => t.includes(sampleReview.summary.slice(0, 30)));
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(summary);
    expect(texts[changed]).toContain('Sharding dropped');
  });

  it('never violates Slack limits for random text in every field', () => {
    const random = seededRandom(20240601);
    for (let run = 0; run < 200; run++) {
      const review = randomReview(random);
      const messages = renderReview(review, {
        ...meta,
        requestId: randomString(random, 40) || 'r',
        agentName: randomString(random, 200),
        model: randomString(random, 100),
        notes: Array.from({ length: Math.floor(random() * 4) }, () => randomString(random, 3000)),
      });
      for (const m of messages) {
        const problems = blockKitViolations(m.blocks);
        if (problems.length > 0) throw new Error(`run ${run}: ${problems.join('; ')}`);
        expect(m.text.length).toBeLessThan(4000);
        expect(m.text.length).toBeGreaterThan(0);
      }
      for (const b of buttonsOf(messages)) expect(decodeQuestionButtonValue(b.value ?? '').ok).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// A small seeded property-test generator: deterministic, so a failure reproduces.

/** mulberry32: tiny, fast, good enough to vary test inputs. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'abcdefghij XYZ 0123456789',
  ' ',
  ' ',
  '\n',
  '\n\n',
  '&',
  '<',
  '>',
  '<!channel>',
  '*',
  '_',
  '`',
  '~',
  '|',
  'é',
  'ß',
  '中文',
  '😀',
  '👩‍💻',
  '\u0000',
  '"',
  '\\',
  '\t',
];

function randomString(random: () => number, maxLength: number): string {
  // Mostly short strings, sometimes very long ones, so both the common and the limit paths run.
  const length = random() < 0.15 ? Math.floor(random() * maxLength * 4) : Math.floor(random() * maxLength);
  let s = '';
  while (s.length < length) s += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'a';
  return s;
}

function randomArray<T>(random: () => number, max: number, make: () => T): T[] {
  return Array.from({ length: Math.floor(random() * (max + 1)) }, make);
}

function randomReview(random: () => number): Review {
  const str = (max: number) => randomString(random, max);
  const nonEmpty = (max: number) => str(max) || 'x';
  return {
    summary: nonEmpty(800),
    recommendedArchitecture: {
      overview: str(2000),
      components: randomArray(random, 30, () => ({ name: str(80), responsibility: str(400) })),
    },
    decisions: randomArray(random, 30, () => ({ decision: str(200), rationale: str(800) })),
    alternatives: randomArray(random, 10, () => ({ option: str(100), tradeoffs: str(600) })),
    risks: randomArray(random, 20, () => ({
      risk: str(300),
      severity: (['low', 'medium', 'high'] as const)[Math.floor(random() * 3)] ?? 'low',
      mitigation: str(400),
    })),
    roadmap: randomArray(random, 8, () => ({
      phase: str(80),
      items: randomArray(random, 10, () => str(200)),
    })),
    technologies: randomArray(random, 15, () => ({
      name: str(40),
      ...(random() < 0.5 ? { version: str(20) } : {}),
      purpose: str(200),
    })),
    scalability: str(2000),
    security: str(2000),
    clarifyingQuestions: randomArray(random, 30, () => ({ label: nonEmpty(150), question: nonEmpty(1500) })),
  };
}
