import { z } from 'zod';

/**
 * The structured reply Claude must return. One schema for both kinds of reply: an `answer` to a
 * question (direct, as long as the question needs) and a `review` of a design (a verdict first, then
 * findings a staff engineer can act on). Every promise of the seed agent stays reachable through the
 * optional sections. Each field carries a description because the JSON schema sent to Claude is
 * generated from it; the order of the fields is the order Claude writes them in, so the verdict and the
 * TL;DR arrive first.
 */
/**
 * A finding's reference to one of the team's Architecture Decision Records, as Claude writes it. Only
 * ids from the index Claude was given count: grounding drops any other (see grounding.ts).
 */
export const AdrCitationSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(160)
    .describe(
      'The ADR exactly as the index of team decisions names it: "ADR-0007", "2024-09-25-signing-configuration".',
    ),
  relation: z
    .enum(['contradicts', 'follows'])
    .describe(
      'contradicts: the design goes against this decision (say so in `detail`); follows: the decision is why this finding matters.',
    ),
});

export const FindingSchema = z.object({
  severity: z
    .enum(['blocker', 'major', 'minor'])
    .describe('blocker: must change before building; major: should change soon; minor: worth knowing.'),
  category: z
    .string()
    .min(1)
    .max(40)
    .describe('One word or two: scalability, reliability, security, data, operations, cost, api, …'),
  title: z.string().min(1).describe('The finding in one line (at most 90 characters), naming the component.'),
  detail: z
    .string()
    .describe('What is wrong or at risk and why, tied to the design’s own components and numbers.'),
  recommendation: z.string().describe('The concrete change you recommend, said once, here.'),
  evidence: z
    .string()
    .optional()
    .describe(
      'A short exact quote (a few words to one sentence) from the thread or a shared file that this finding is about. Copy it verbatim; omit it rather than paraphrase.',
    ),
  absent: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Only for a finding about something the design leaves out (no rollback plan, no failure testing), where there is nothing to quote: what you looked for and did not find, in a few words ("a rollback plan for the DNS switch").',
    ),
  adr: AdrCitationSchema.optional().describe(
    'Only when one of the team’s decision records (given in <team_decisions>) bears on this finding.',
  ),
});

const QuestionSchema = z.object({
  label: z
    .string()
    .min(1)
    .describe(
      'A button label of at most 60 characters that names this design’s specific unknown, e.g. "Refund volume per day?" or "Can billing lag 5 min?"',
    ),
  question: z.string().min(1).describe('The full question, saying why the answer would change your advice.'),
});

export const VerdictSchema = z.enum(['sound', 'sound_with_changes', 'rethink']);

/** An optional section of the review that is a list of entries, each with the given fields. */
function optionalList<Shape extends z.ZodRawShape>(description: string, entry: Shape) {
  return z.array(z.object(entry)).optional().describe(description);
}

export const ReviewSchema = z.object({
  kind: z
    .enum(['answer', 'review'])
    .describe(
      '"answer" when the person asked a question (answer it directly, as long as it needs); "review" when they asked for a review of a design.',
    ),
  verdict: VerdictSchema.optional().describe(
    'For a review: sound (build it), sound_with_changes (build it after the must-fix findings), rethink (the approach needs to change). Omit for an answer.',
  ),
  headline: z
    .string()
    .min(1)
    .max(140)
    .describe(
      'One line of at most 100 characters. For a review: names the design and the verdict ("Orders on one Postgres: sound once exports move off the primary"). For an answer: the answer itself in short.',
    ),
  tldr: z
    .string()
    .min(1)
    .describe(
      'For a review: two or three sentences, the verdict and the most important change. For an answer: the full direct answer (often a few sentences).',
    ),
  whatChanged: z
    .object({
      summary: z
        .string()
        .describe('What changed since your previous review in this thread, in one or two sentences.'),
      resolved: z.array(z.string()).describe('Titles of earlier findings the new information resolves.'),
      stillOpen: z.array(z.string()).describe('Titles of earlier findings that still stand.'),
      new: z.array(z.string()).describe('Titles of findings that are new in this review.'),
    })
    .optional()
    .describe('Only in a follow-up to your own earlier review in this thread.'),
  findings: z
    .array(FindingSchema)
    .describe(
      'What should change, most severe first. Empty is a valid review: do not pad with minor points or praise. An answer has at most three.',
    ),
  assumptions: z
    .array(z.string())
    .describe(
      'What you assumed where the design is vague (load, data size, team, constraints). Empty when nothing was assumed.',
    ),
  recommendedArchitecture: z
    .object({
      overview: z.string().describe('How the recommended architecture fits together, in a short paragraph.'),
      components: z
        .array(
          z.object({
            name: z.string().describe('Component name, e.g. "API gateway".'),
            responsibility: z.string().describe('What it is responsible for.'),
          }),
        )
        .describe('The main components and their responsibilities.'),
    })
    .optional()
    .describe('For a review: the recommended architecture.'),
  decisions: optionalList('For a review: key decisions with their rationale.', {
    decision: z.string().describe('The architectural decision.'),
    rationale: z.string().describe('Why this decision is right here.'),
  }),
  alternatives: optionalList('Alternatives worth weighing, with their trade-offs.', {
    option: z.string().describe('The alternative approach.'),
    tradeoffs: z.string().describe('What it gains and what it costs compared with the recommendation.'),
  }),
  roadmap: optionalList('For a review: a phased implementation roadmap.', {
    phase: z.string().describe('Phase name, e.g. "Phase 1: MVP".'),
    items: z.array(z.string()).describe('What gets built or changed in this phase, in priority order.'),
  }),
  technologies: optionalList('Specific technology recommendations.', {
    name: z.string().describe('Technology, e.g. "PostgreSQL".'),
    version: z
      .string()
      .optional()
      .describe('Only a version you are sure of as of today’s date; omit it otherwise.'),
    purpose: z.string().describe('What it is used for here.'),
  }),
  scalability: z
    .string()
    .optional()
    .describe(
      'Performance and scalability projections, worked out from the design’s own figures when it gives them.',
    ),
  security: z.string().optional().describe('Security and compliance considerations specific to this design.'),
  clarifyingQuestions: z
    .array(QuestionSchema)
    .describe(
      'Questions whose answers would most change your advice; empty when nothing important is unknown.',
    ),
});

export type Review = z.infer<typeof ReviewSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type ClarifyingQuestion = Review['clarifyingQuestions'][number];
export type Verdict = NonNullable<Review['verdict']>;
export type Severity = Finding['severity'];

/** An ADR a finding cites, as it stands in the team's records: what the review links to. */
export const CitedAdrSchema = AdrCitationSchema.extend({
  /** The collection's id ("ADR-0007", "2024-09-25-signing-configuration"), whatever spelling Claude used. */
  id: z.string(),
  title: z.string(),
  status: z.string().optional(),
  /** Where a person reads it (the file on GitHub); absent for ADRs read from a local folder. */
  url: z.string().optional(),
  superseded: z.boolean(),
});
export type CitedAdr = z.infer<typeof CitedAdrSchema>;

/**
 * A finding after its evidence was checked against what Claude was given, and its ADR citation
 * against the team's records (a citation of an ADR that does not exist is dropped).
 */
export type GroundedFinding = Omit<Finding, 'adr'> & {
  verified: boolean;
  adr?: CitedAdr;
  /**
   * Not quoted because it is about what the design leaves out: `absent` names what was looked for, and
   * the thread does not mention it. Counted apart from ungrounded findings.
   */
  aboutAbsence?: boolean;
};
/**
 * A technology after its version was checked against what Claude was given: `versionStated` is true
 * only when the thread or a file names that version, so a version Claude guessed is shown as unverified.
 */
export type GroundedTechnology = NonNullable<Review['technologies']>[number] & { versionStated?: boolean };

/** A review whose findings were checked; what the bot stores and shows. */
export type GroundedReview = Omit<Review, 'findings' | 'technologies'> & {
  findings: GroundedFinding[];
  technologies?: GroundedTechnology[];
};

/** A stored grounded review, parsed again when read back from Redis. */
export const GroundedReviewSchema = ReviewSchema.extend({
  findings: z.array(
    FindingSchema.extend({
      verified: z.boolean(),
      adr: CitedAdrSchema.optional(),
      aboutAbsence: z.boolean().optional(),
    }),
  ),
  technologies: z
    .array(
      z.object({
        name: z.string(),
        version: z.string().optional(),
        purpose: z.string(),
        versionStated: z.boolean().optional(),
      }),
    )
    .optional(),
});

/** Most severe first: the order findings are shown and counted in. */
export const SEVERITY_ORDER: Severity[] = ['blocker', 'major', 'minor'];
