import type { Review } from '../src/domain/review';
import { VERDICT_LABELS } from '../src/rendering/review-labels';
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

/** The refined review after an answer: the same, saying what changed. */
export function benchFollowUpReview(): Review {
  const { whatChanged } = longReview();
  const { kind, verdict, headline, tldr, ...rest } = benchReview();
  // The order of the fields is the order Claude writes them in: whatChanged after the TL;DR.
  return { kind, verdict, headline, tldr, ...(whatChanged ? { whatChanged } : {}), ...rest };
}

/** What the thread shows once the verdict is visible: its label ("Sound with changes"). */
export function verdictLabelOf(review: Review): string {
  if (!review.verdict) throw new Error('the bench review needs a verdict');
  return VERDICT_LABELS[review.verdict].label;
}
