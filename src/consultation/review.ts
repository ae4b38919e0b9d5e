import { z } from 'zod';

/**
 * The structured review Claude must return. It covers everything the seed agent promises to always
 * provide; each field carries a description because the JSON schema sent to Claude is generated from it.
 */
export const ReviewSchema = z.object({
  whatChanged: z
    .string()
    .optional()
    .describe(
      'Only in a follow-up review: what changed from your previous review in this thread, in one to three sentences.',
    ),
  summary: z
    .string()
    .min(1)
    .describe('Two to four sentences: the verdict on the design and the most important advice.'),
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
    .describe('The recommended architecture.'),
  decisions: z
    .array(
      z.object({
        decision: z.string().describe('The architectural decision.'),
        rationale: z.string().describe('Why this decision is right here.'),
      }),
    )
    .describe('Key decisions with their rationale.'),
  alternatives: z
    .array(
      z.object({
        option: z.string().describe('The alternative approach.'),
        tradeoffs: z.string().describe('What it gains and what it costs compared with the recommendation.'),
      }),
    )
    .describe('Alternative approaches with their trade-offs.'),
  risks: z
    .array(
      z.object({
        risk: z.string().describe('A risk or failure point.'),
        severity: z.enum(['low', 'medium', 'high']).describe('How bad it is if it happens.'),
        mitigation: z.string().describe('How to prevent or contain it.'),
      }),
    )
    .describe('Risks and failure points with mitigations.'),
  roadmap: z
    .array(
      z.object({
        phase: z.string().describe('Phase name, e.g. "Phase 1: MVP".'),
        items: z.array(z.string()).describe('What gets built or changed in this phase, in priority order.'),
      }),
    )
    .describe('A phased implementation roadmap.'),
  technologies: z
    .array(
      z.object({
        name: z.string().describe('Technology, e.g. "PostgreSQL".'),
        version: z.string().optional().describe('Recommended version, when relevant.'),
        purpose: z.string().describe('What it is used for here.'),
      }),
    )
    .describe('Specific technology recommendations, with versions where relevant.'),
  scalability: z
    .string()
    .describe('Performance and scalability projections: expected limits, bottlenecks, how to grow.'),
  security: z.string().describe('Security and compliance considerations.'),
  clarifyingQuestions: z
    .array(
      z.object({
        label: z
          .string()
          .min(1)
          .describe('A short label for a button, at most 60 characters, e.g. "Expected load?".'),
        question: z.string().min(1).describe('The full question.'),
      }),
    )
    .describe(
      'Questions whose answers would most improve this review; empty when nothing important is unknown.',
    ),
});

export type Review = z.infer<typeof ReviewSchema>;
export type ClarifyingQuestion = Review['clarifyingQuestions'][number];
