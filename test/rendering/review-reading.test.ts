import type { KnownBlock } from '@slack/web-api';
import { groundReview } from '../../src/consultation/grounding';
import type { GroundedReview, Review } from '../../src/domain/review';
import { renderFullReviewModal } from '../../src/rendering/full-review';
import { renderHomeView } from '../../src/rendering/home-view';
import { ActionId } from '../../src/rendering/interactions';
import type { ReplyMeta } from '../../src/rendering/reply-meta';
import { renderReply } from '../../src/rendering/review-message';
import { shortenMrkdwn } from '../../src/rendering/shorten';
import { markdownToMrkdwn } from '../../src/rendering/slack-text';
import { blockKitViolations } from '../fakes/block-kit-rules';
import {
  type FixtureName,
  fixtureThread,
  longReview,
  paymentsReview,
  shortAnswer,
} from '../fixtures/reviews';

/**
 * What a staff engineer meets reading a reply on the messiest inputs (issue 24): nothing cut inside a
 * word or markup, plain words wherever Slack shows no formatting, every question within reach.
 */

const meta: ReplyMeta = {
  requestId: 'req-24',
  agentName: 'backend-architect',
  model: 'claude-sonnet-5-5',
  durationMs: 61_000,
  asOf: '2026-12-06',
  usage: { inputTokens: 30_000, outputTokens: 3_400, cacheReadTokens: 0, cacheWriteTokens: 0 },
  notes: [],
  otherAgents: ['security-reviewer'],
};

function grounded(name: FixtureName, load: () => Review): GroundedReview {
  const thread = fixtureThread(name)
    .messages.map((m) => m.text)
    .join('\n');
  return groundReview(load(), thread);
}

type Section = KnownBlock & { type: 'section'; text: { text: string } };
const sections = (blocks: KnownBlock[]) => blocks.filter((b): b is Section => b.type === 'section');
type Elements = { type: string; action_id?: string; text?: { text: string } }[];
const actionElements = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Elements) : []));

/** Markup a cut left open in mrkdwn: a fence, a code span, a link or an emphasis without its end. */
function openMarkup(mrkdwn: string): string[] {
  const problems: string[] = [];
  const fences = mrkdwn.match(/```/g)?.length ?? 0;
  if (fences % 2 === 1) problems.push('code block');
  const outsideFences = mrkdwn.replace(/```[\s\S]*?```/g, ' ');
  for (const line of outsideFences.split('\n')) {
    if ((line.match(/`/g)?.length ?? 0) % 2 === 1) problems.push(`code span: ${line}`);
    const noCode = line.replace(/`[^`]*`/g, ' ');
    if (/<[^>]*$/.test(noCode)) problems.push(`link: ${line}`);
    const bare = noCode
      .replace(/<[^>]*>/g, ' ')
      .replace(/(^|[\s(])([*_~])(?=\S)[^\n]*?(?<=\S)\2(?=$|[\s).,:;!?'"”’\]])/g, '$1');
    const opener = /(^|[\s(])([*_~])(?=[^\s*_~])/.exec(bare);
    if (opener) problems.push(`emphasis: ${line}`);
  }
  return problems;
}

/** Shown text that stops early must stop where the full text has a space: never inside a word. */
function cutInsideWord(shown: string, full: string): boolean {
  if (!shown.endsWith('…')) return false;
  const head = shown.replace(/\s*…$/, '');
  const at = full.indexOf(head);
  if (at < 0) return true;
  const next = full.charAt(at + head.length);
  // The cut may drop a comma or a dash before the ellipsis; it may not split a word.
  return next !== '' && !/[\s,;:–—-]/.test(next);
}

describe('nothing is cut mid-word or mid-markup (issue 24, item 1)', () => {
  it('the payments review’s must-fix recommendations end at a sentence or a word, their markup closed', () => {
    const review = grounded('payments-review', paymentsReview);
    const { blocks } = renderReply(review, meta);
    const shown = sections(blocks).filter((s) => /:octagonal_sign:|:red_circle:/.test(s.text.text));
    expect(shown).toHaveLength(3);
    for (const [i, s] of shown.entries()) {
      const finding = review.findings[i];
      if (!finding) throw new Error('fewer findings than shown');
      const recommendation = s.text.text.split('\n').slice(1).join('\n');
      const full = markdownToMrkdwn(finding.recommendation);
      expect({ recommendation, open: openMarkup(recommendation) }).toEqual({ recommendation, open: [] });
      expect(cutInsideWord(recommendation, full)).toBe(false);
    }
  });

  it('the TL;DR that ends in a code block is never left with the block open', () => {
    const { blocks } = renderReply(grounded('payments-review', paymentsReview), meta);
    const tldr = sections(blocks).find((s) => s.text.text.includes('home region'));
    expect(tldr).toBeDefined();
    expect(openMarkup(tldr?.text.text ?? '')).toEqual([]);
  });

  it.each([120, 160, 200, 240, 280, 320, 900])(
    'every recommendation, detail and TL;DR of the long fixtures, cut to %i, keeps words and markup whole',
    (cap) => {
      for (const review of [paymentsReview(), longReview()]) {
        const texts = [review.tldr, ...review.findings.flatMap((f) => [f.recommendation, f.detail])];
        for (const full of texts.map(markdownToMrkdwn)) {
          const shown = shortenMrkdwn(full, cap);
          expect(shown.length).toBeLessThanOrEqual(cap);
          expect({ shown, open: openMarkup(shown) }).toEqual({ shown, open: [] });
          expect(cutInsideWord(shown, full)).toBe(false);
        }
      }
    },
  );
});

describe('plain words where Slack shows no formatting (issue 24, item 2)', () => {
  it('the notification text reads as text: verdict, headline, the TL;DR’s words, no Markdown', () => {
    const { text } = renderReply(grounded('payments-review', paymentsReview), meta);
    expect(text.startsWith('Rethink: Multi-region payments: rethink the active-active ledger')).toBe(true);
    expect(text).toContain('— Rethink the write path before going multi-region.');
    expect(text).not.toMatch(/##|\*\*|`|\\n/);
    expect(text.length).toBeLessThanOrEqual(600);
  });

  it('headers, finding titles and button labels show no Markdown markers', () => {
    const { blocks } = renderReply(grounded('payments-review', paymentsReview), meta);
    const header = blocks.find((b) => b.type === 'header') as { text: { text: string } } | undefined;
    expect(header?.text.text).toBe(
      ':octagonal_sign: Multi-region payments: rethink the active-active ledger before launch',
    );
    const firstFinding = sections(blocks).find((s) => s.text.text.startsWith(':red_circle:'));
    expect(firstFinding?.text.text).toMatch(/^:red_circle: \*Last-writer-wins loses ledger increments/);
    for (const e of actionElements(blocks)) expect(e.text?.text ?? '').not.toMatch(/\*\*|`/);
  });

  it('a code block shows its code, not the fence’s language word', () => {
    const modal = renderFullReviewModal(grounded('payments-review', paymentsReview), meta);
    const text = JSON.stringify(modal.blocks);
    expect(text).toContain('```\\nCREATE TABLE account_home');
    expect(text).not.toContain('```sql');
  });

  it('a mention Claude repeats reads as @here, and pings no one', () => {
    const review = grounded('payments-review', paymentsReview);
    const all = [
      JSON.stringify(renderReply(review, meta)),
      JSON.stringify(renderFullReviewModal(review, meta)),
    ];
    for (const surface of all) {
      expect(surface).not.toMatch(/&lt;!here&gt;|<!here>/);
    }
    expect(JSON.stringify(renderFullReviewModal(review, meta).blocks)).toContain(
      'Marco asked @here for this',
    );
  });

  it('App Home lists a review by its words, not “## Summary” or **', () => {
    const view = renderHomeView({
      agents: [],
      reviews: [
        {
          agentName: 'backend-architect',
          summary: '## Summary\n**Rethink the write path** before going multi-region.',
          channelId: 'C1',
          createdAt: 0,
        },
      ],
      defaultAgent: 'backend-architect',
      reviewReaction: 'building_construction',
    });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Rethink the write path before going multi-region.');
    expect(text).not.toMatch(/##|\*\*Rethink/);
  });
});

describe('versions only where the thread states them (issue 24, item 3)', () => {
  it('shows PostgreSQL 15 (the thread says Postgres 15) and marks Kafka 3.7 (the thread says 3.6) unverified', () => {
    const review = grounded('payments-review', paymentsReview);
    const text = JSON.stringify(renderFullReviewModal(review, meta).blocks);
    expect(text).toContain('*PostgreSQL 15* — Ledger');
    expect(text).toContain('*Kafka* (3.7, unverified) — Payment events');
    expect(text).toContain('*AWS Secrets Manager* — PSP');
    expect(text).not.toContain('versions as of');
  });
});

describe('grounding that fits absence (issue 24, item 6)', () => {
  it('counts the payments review’s findings about what the design leaves out apart from ungrounded ones', () => {
    const review = grounded('payments-review', paymentsReview);
    const absent = review.findings.filter((f) => f.aboutAbsence).map((f) => f.title);
    expect(absent).toEqual([
      'No rollback plan for the launch-day DNS switch',
      'No failure testing of the multi-region path',
    ]);
    for (const f of review.findings.filter((f) => f.aboutAbsence)) expect(f.verified).toBe(false);
    const text = JSON.stringify(renderFullReviewModal(review, meta).blocks);
    expect(text).toContain('About what the design leaves out: looked for a rollback plan or stop criteria');
    const notQuoted = text.match(/Not tied to a quote/g)?.length ?? 0;
    expect(notQuoted).toBe(review.findings.filter((f) => !f.verified && !f.aboutAbsence).length);
  });

  it('does not take “missing” at its word when the thread mentions what the finding says is missing', () => {
    const review = paymentsReview();
    const thread = `${fixtureThread('payments-review')
      .messages.map((m) => m.text)
      .join('\n')}\nOur rollback plan or stop criteria for the DNS switch: see the runbook.`;
    const rollback = groundReview(review, thread).findings.find((f) =>
      f.title.startsWith('No rollback plan'),
    );
    expect(rollback).toMatchObject({ verified: false });
    expect(rollback?.aboutAbsence).toBeUndefined();
  });
});

describe('small things on a phone (issue 24, item 7)', () => {
  it('every one of eight questions has its button, labels cut between words within Slack’s 75', () => {
    const review = grounded('payments-review', paymentsReview);
    const { blocks } = renderReply(review, meta);
    expect(blockKitViolations(blocks)).toEqual([]);
    const questionButtons = actionElements(blocks).filter((e) => e.action_id?.startsWith('clarify_question'));
    expect(questionButtons).toHaveLength(8);
    for (const [i, b] of questionButtons.entries()) {
      const label = b.text?.text ?? '';
      const full = review.clarifyingQuestions[i]?.label ?? '';
      expect(label.length).toBeLessThanOrEqual(75);
      expect(cutInsideWord(label, full)).toBe(false);
    }
  });

  it('“Answer all” only when there are several questions', () => {
    const ids = (review: GroundedReview) =>
      actionElements(renderReply(review, meta).blocks).map((e) => e.action_id);
    expect(ids(grounded('payments-review', paymentsReview))).toContain(ActionId.answerQuestions);
    const one = grounded('short-answer', shortAnswer);
    expect(one.clarifyingQuestions).toHaveLength(1);
    expect(ids(one)).not.toContain(ActionId.answerQuestions);
  });

  it('names the agent once, and puts Full review before the questions', () => {
    const { blocks } = renderReply(grounded('payments-review', paymentsReview), meta);
    expect(JSON.stringify(blocks).match(/backend-architect/g)).toHaveLength(1);
    const ids = actionElements(blocks).map((e) => e.action_id ?? '');
    expect(ids.indexOf(ActionId.openFullReview)).toBeLessThan(
      ids.findIndex((id) => id.startsWith('clarify')),
    );
  });
});
