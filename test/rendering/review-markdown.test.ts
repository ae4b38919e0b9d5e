import { groundReview } from '../../src/consultation/grounding';
import type { GroundedReview } from '../../src/domain/review';
import { type MarkdownMeta, renderReviewMarkdown } from '../../src/rendering/review-markdown';
import { fixtureThread, longReview, shortAnswer } from '../fixtures/reviews';
import { sampleReview } from '../fixtures/sample-review';

const meta: MarkdownMeta = {
  agentName: 'backend-architect',
  model: 'claude-sonnet-5-5',
  durationMs: 47_000,
  asOf: '2026-11-29',
  usage: { inputTokens: 18_000, outputTokens: 2_900, cacheReadTokens: 12_000, cacheWriteTokens: 6_000 },
  notes: ['files not read: capacity.xlsx (type xlsx not supported)'],
};

const long = (): GroundedReview =>
  groundReview(
    longReview(),
    fixtureThread('long-review')
      .messages.map((m) => m.text)
      .join('\n'),
  );

/** The long review's sections, in the order of the Slack full review. */
const LONG_REVIEW_SECTIONS = [
  '## What changed',
  '## Findings (9)',
  '## Assumptions',
  '## Recommended architecture',
  '## Decisions',
  '## Alternatives',
  '## Roadmap',
  '## Technologies',
  '## Scalability & performance',
  '## Security & compliance',
  '## Questions from the architect',
];

test('the verdict, headline, TL;DR and the must-fix titles come before the full review', () => {
  const review = long();
  const md = renderReviewMarkdown(review, meta);
  const lines = md.split('\n');
  expect(lines[0]).toBe(`**🟡 Sound with changes** — ${review.headline}`);
  const mustFix = md.indexOf('**Must fix**');
  const firstFindingHeading = md.indexOf('## Findings (9)');
  expect(mustFix).toBeGreaterThan(md.indexOf(review.tldr.slice(0, 40)));
  expect(mustFix).toBeLessThan(firstFindingHeading);
  // The must-fix list names the blockers first, then the majors, and no minor finding.
  const listed = md.slice(mustFix, firstFindingHeading).match(/^\d+\. .*$/gm) ?? [];
  expect(listed).toHaveLength(7);
  expect(listed[0]).toMatch(/^1\. 🔴 \*\*.+\*\* \(blocker · /);
  expect(listed[6]).toMatch(/^7\. 🟠 \*\*.+\*\* \(major · /);
});

test('the full review has every finding with its detail, recommendation and quote, then every section in order', () => {
  const review = long();
  const md = renderReviewMarkdown(review, meta);
  for (const f of review.findings) {
    expect(md).toContain(`— ${f.title}`);
    expect(md).toContain(`**Recommendation:** ${f.recommendation.trim().split('\n')[0]}`);
    if (f.evidence) expect(md).toContain(`> “${f.evidence.replace(/\s+/g, ' ').trim()}”`);
  }
  const unverified = review.findings.filter((f) => !f.verified).length;
  expect(md.split('Not tied to a quote').length - 1).toBe(unverified);
  const order = [
    ...LONG_REVIEW_SECTIONS,
    '_backend-architect · claude-sonnet-5-5 · 47 s · 36,000 tokens in',
    '_files not read: capacity.xlsx (type xlsx not supported)_',
  ].map((s) => md.indexOf(s));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  for (const q of review.clarifyingQuestions) expect(md).toContain(q.question.replace(/\s+/g, ' ').trim());
});

test('headings inside Claude’s text cannot outrank the review’s own sections, and Slack codes do not appear', () => {
  const md = renderReviewMarkdown(long(), meta);
  const headings = md.match(/^#{1,6} .*$/gm) ?? [];
  expect(headings.filter((h) => /^## /.test(h))).toEqual(LONG_REVIEW_SECTIONS);
  expect(md).toContain('**Peak-day arithmetic**');
  expect(md).not.toMatch(/:(red_circle|large_yellow_circle|white_check_mark):/);
});

test('a review nested under a heading of its own starts its sections one level lower', () => {
  const md = renderReviewMarkdown(groundReview(sampleReview(), 'nightly export'), meta, { headingLevel: 3 });
  expect(md).toContain('\n### Findings (3)\n');
  expect(md).toContain(
    '\n#### 🔴 Blocker · data — Nightly export runs on the primary that serves checkout\n',
  );
});

test('an answer leads with the answer itself, without a verdict or a must-fix list', () => {
  const md = renderReviewMarkdown(groundReview(shortAnswer(), ''), meta);
  expect(md.startsWith(`**${shortAnswer().headline}**\n\n${shortAnswer().tldr.trim()}`)).toBe(true);
  expect(md).not.toContain('Must fix');
});

test('a review without findings says so in its lead and in the full review', () => {
  const md = renderReviewMarkdown(groundReview(sampleReview({ verdict: 'sound', findings: [] }), ''), meta);
  expect(md).toMatch(/^\*\*✅ Sound\*\* — /);
  expect(md).toContain('**Must fix:** nothing.');
  expect(md).toContain('## Findings\n\nNo significant issues.');
});

test('a finding that cites one of the team’s ADRs links it and says how the design stands to it', () => {
  const review = groundReview(sampleReview(), 'nightly export');
  const [first, second, third] = review.findings;
  if (!first || !second || !third) throw new Error('the sample review has three findings');
  const cited = {
    ...review,
    findings: [
      {
        ...first,
        adr: {
          id: 'ADR-0007',
          relation: 'contradicts' as const,
          title: 'Exports read the replica',
          status: 'accepted',
          url: 'https://github.com/acme/platform/blob/main/docs/adr/0007-exports.md',
          superseded: false,
        },
      },
      {
        ...second,
        adr: { id: 'ADR-0002', relation: 'follows' as const, title: 'One [primary] DB', superseded: true },
      },
      third,
    ],
  };
  const md = renderReviewMarkdown(cited, meta);
  expect(md).toContain(
    '⚠️ Goes against the team’s decision [ADR-0007: Exports read the replica](https://github.com/acme/platform/blob/main/docs/adr/0007-exports.md) (accepted)',
  );
  expect(md).toContain(
    '📌 Cites **ADR-0002: One \\[primary\\] DB**, which is superseded and no longer holds',
  );
});
