import type { GroundedReview, Severity } from '../domain/review';
import { SEVERITY_ORDER } from '../domain/review';
import type { CliIO } from './cli-io';

/** Exit code of a review that has findings at or above `--fail-on`: a failed gate, not a failed run. */
export const GATE_EXIT_CODE = 2;

/** Findings at or above `severity`: blocker counts blockers, major counts blockers and majors. */
export function findingsAtOrAbove(review: GroundedReview, severity: Severity): number {
  const limit = SEVERITY_ORDER.indexOf(severity);
  return review.findings.filter((f) => SEVERITY_ORDER.indexOf(f.severity) <= limit).length;
}

/** 0, or GATE_EXIT_CODE with one line saying why when the reviews have findings at or above `failOn`. */
export function gate(
  reviews: GroundedReview[],
  failOn: Severity | undefined,
  io: Pick<CliIO, 'stderr'>,
): number {
  if (!failOn) return 0;
  const count = reviews.reduce((n, review) => n + findingsAtOrAbove(review, failOn), 0);
  if (count === 0) return 0;
  io.stderr.write(
    `architect: ${count} ${count === 1 ? 'finding' : 'findings'} at or above ${failOn} (--fail-on ${failOn})\n`,
  );
  return GATE_EXIT_CODE;
}
