import { z } from 'zod';
import {
  FindingSchema,
  type GroundedFinding,
  type GroundedReview,
  type GroundedTechnology,
  type Review,
  ReviewSchema,
} from './review';

/** Checks what Claude wrote now against what it was given (see consultation/grounding.ts). */
export type GroundParts = (parts: Pick<Review, 'findings' | 'technologies'>) => {
  findings: GroundedFinding[];
  technologies?: GroundedTechnology[];
};

/**
 * What Claude writes for a follow-up to its own review: only what changed. Earlier findings are named by
 * id (F1, F2… in the order of the previous review); one that is neither resolved nor changed stands as
 * it was, so a blocker can never drop out of the refined review by being left unmentioned. The bot merges
 * this into the previous review (mergeReviewDelta), so the refined review stays whole and costs a
 * fraction of writing it again. Field order is writing order: the verdict and the TL;DR come first.
 */
const shape = ReviewSchema.shape;

export const ReviewDeltaSchema = z.object({
  verdict: shape.verdict,
  headline: shape.headline,
  tldr: shape.tldr,
  summary: z.string().min(1).describe('What changed since your previous review, in one or two sentences.'),
  resolved: z
    .array(z.string())
    .describe('Ids of earlier findings ("F2") that the new information resolves. They leave the review.'),
  changed: z
    .array(FindingSchema.extend({ id: z.string().describe('The earlier finding’s id, e.g. "F1".') }))
    .describe(
      'Earlier findings that still stand but whose severity or text must change: the id and the whole finding as it should now read. Earlier findings you do not list here or in `resolved` stand unchanged; do not repeat them.',
    ),
  added: z.array(FindingSchema).describe('Findings that are new in this review, most severe first.'),
  assumptions: shape.assumptions.optional().describe('Only if the assumptions change: the whole new list.'),
  recommendedArchitecture: shape.recommendedArchitecture.describe(
    'Only if the recommended architecture changes: the whole new section.',
  ),
  decisions: shape.decisions.describe('Only if the decisions change: the whole new list.'),
  alternatives: shape.alternatives.describe('Only if the alternatives change: the whole new list.'),
  roadmap: shape.roadmap.describe('Only if the roadmap changes: the whole new list.'),
  technologies: shape.technologies.describe('Only if the technologies change: the whole new list.'),
  scalability: shape.scalability.describe('Only if the projections change: the whole new section.'),
  security: shape.security.describe('Only if the security section changes: the whole new section.'),
  clarifyingQuestions: shape.clarifyingQuestions.describe(
    'The questions still worth asking now (never one already answered); empty when nothing important is unknown.',
  ),
});
export type ReviewDelta = z.infer<typeof ReviewDeltaSchema>;

/** The id Claude uses for the previous review's finding at `index`. */
export const findingId = (index: number): string => `F${index + 1}`;

const SECTIONS = [
  'assumptions',
  'recommendedArchitecture',
  'decisions',
  'alternatives',
  'roadmap',
  'technologies',
  'scalability',
  'security',
] as const;

/**
 * The refined review: the previous one with the delta applied. Resolved findings leave; changed ones are
 * replaced in place; every other earlier finding stands; new ones follow. `ground` checks the findings
 * Claude wrote now (changed and new); findings carried over keep the grounding they had. `whatChanged`
 * is worked out from the ids, so its lists always match the findings shown.
 */
export function mergeReviewDelta(
  previous: GroundedReview,
  delta: ReviewDelta,
  ground: GroundParts,
): GroundedReview {
  const resolved = new Set(delta.resolved.map(normaliseId));
  const changed = new Map(delta.changed.map(({ id, ...finding }) => [normaliseId(id), finding]));
  const fresh = ground({
    findings: [...changed.values(), ...delta.added],
    ...(delta.technologies ? { technologies: delta.technologies } : {}),
  });
  const rewritten = fresh.findings.slice(0, changed.size);
  const added = fresh.findings.slice(changed.size);
  const rewrittenById = new Map([...changed.keys()].map((id, i) => [id, rewritten[i]]));
  const kept: GroundedFinding[] = [];
  const resolvedTitles: string[] = [];
  previous.findings.forEach((finding, i) => {
    const id = findingId(i);
    if (resolved.has(id) && !changed.has(id)) resolvedTitles.push(finding.title);
    else kept.push(rewrittenById.get(id) ?? finding);
    rewrittenById.delete(id);
  });
  // A "changed" finding whose id names no earlier finding is still a finding: it counts as new.
  added.unshift(...[...rewrittenById.values()].flatMap((f) => (f ? [f] : [])));
  const sections = Object.fromEntries(
    SECTIONS.flatMap((key) => (delta[key] === undefined ? [] : [[key, delta[key]]])),
  ) as Partial<GroundedReview>;
  if (fresh.technologies) sections.technologies = fresh.technologies;
  return {
    ...previous,
    ...sections,
    ...(delta.verdict ? { verdict: delta.verdict } : {}),
    headline: delta.headline,
    tldr: delta.tldr,
    whatChanged: {
      summary: delta.summary,
      resolved: resolvedTitles,
      stillOpen: kept.map((f) => f.title),
      new: added.map((f) => f.title),
    },
    findings: [...kept, ...added],
    clarifyingQuestions: delta.clarifyingQuestions,
  };
}

/** "f2", "F2 ", "#F2" and "2" all name the second finding. */
function normaliseId(id: string): string {
  const n = /(\d+)/.exec(id)?.[1];
  return n ? `F${Number(n)}` : id.trim().toUpperCase();
}
