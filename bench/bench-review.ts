import type { Review } from '../src/domain/review';
import { findingId, type ReviewDelta } from '../src/domain/review-delta';
import { VERDICT_LABELS } from '../src/rendering/review-labels';
import type { FakeStep } from '../test/fakes/anthropic-fake';
import { longReview } from '../test/fixtures/reviews';

/**
 * The review the fake model writes in the verdict and cost phases: the realistic long fixture, cut to
 * a first review of about 2,500 output tokens (its verdict, TL;DR, nine findings with evidence,
 * assumptions and questions; the optional sections left out), as a strong model writes one.
 */
export function benchReview(): Review {
  const { whatChanged: _, ...review } = longReview();
  return {
    kind: review.kind,
    verdict: review.verdict,
    headline: review.headline,
    tldr: review.tldr,
    findings: review.findings,
    assumptions: review.assumptions,
    clarifyingQuestions: review.clarifyingQuestions,
  };
}

/**
 * The follow-up after an answer, as Claude writes it with submit_review_changes: the verdict, headline and
 * TL;DR, one finding resolved, one rewritten, one new, and the questions still open; everything else of
 * the review stands and is merged in by the bot.
 */
export function benchFollowUp(): FakeStep {
  const review = benchReview();
  const [first, second] = review.findings;
  if (!first || !second) throw new Error('the bench review needs two findings');
  const delta: ReviewDelta = {
    ...(review.verdict ? { verdict: review.verdict } : {}),
    headline: review.headline,
    tldr: 'With 400 orders a minute at peak and 2,000 on Black Friday, the outbox and Kafka carry the load easily; the webhook and broker fixes still come first.',
    summary: 'The order volumes make the broker settings the first fix and settle the partition count.',
    resolved: [findingId(1)],
    changed: [
      {
        id: findingId(0),
        ...first,
        recommendation: `${first.recommendation} At 2,000 orders a minute on Black Friday, size the outbox relay for 40 events a second with headroom.`,
      },
    ],
    added: [
      {
        severity: 'minor',
        category: 'data',
        title: 'Seven years of orders need a partitioning plan',
        detail: 'At 400 orders a minute the orders table grows by about 200 million rows a year.',
        recommendation:
          'Partition orders by month and move partitions older than two years to cheaper storage.',
        evidence: 'we keep 7 years of orders',
      },
    ],
    clarifyingQuestions: review.clarifyingQuestions.slice(1),
  };
  return { kind: 'toolInput', tool: 'submit_review_changes', input: delta };
}

/** What the thread shows once the verdict is visible: its label ("Sound with changes"). */
export function verdictLabelOf(review: Review): string {
  if (!review.verdict) throw new Error('the bench review needs a verdict');
  return VERDICT_LABELS[review.verdict].label;
}
