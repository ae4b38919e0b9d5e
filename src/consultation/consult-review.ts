import type { KnownAdr } from '../domain/known-adr';
import type { GroundedReview, Review } from '../domain/review';
import { mergeReviewDelta, type ReviewDelta } from '../domain/review-delta';
import {
  type ClaudeConsultant,
  DELTA_TOOL,
  REVIEW_TOOL,
  type ReplyTool,
  type TokenUsage,
} from './claude-consultant';
import type { PreparedContext } from './consultation-context';
import { groundReview, sourceTextOf } from './grounding';
import { todayIso } from './prompt';

const FOLLOW_UP_TOOLS: readonly ReplyTool<ReviewDelta | Review>[] = [DELTA_TOOL, REVIEW_TOOL];

/** A review as Claude gave it, its evidence checked against what Claude was sent, with its costs. */
export interface ConsultedReview {
  review: GroundedReview;
  model: string;
  usage: TokenUsage;
  claudeMs: number;
  /** Today's date as Claude was told it: technology versions are "as of" it. */
  asOf: string;
  /** Context notes: files not read, messages left out or shortened. */
  notes: string[];
}

/**
 * The consultation without Slack or Redis, shared by the worker and the command line: asks Claude for
 * the structured review of a prepared context, then checks each finding's quote against the text Claude
 * was given (and each ADR it cites against the ADRs it was shown). What happens around it (progress, token accounting, checkpoints) belongs to the caller.
 */
export async function consultReview(
  consultant: Pick<ClaudeConsultant, 'consult'>,
  input: {
    model: string;
    context: Pick<PreparedContext, 'system' | 'messages' | 'notes'>;
    /** The team's ADRs Claude was shown: a finding citing one of them is grounded by it. */
    adrs?: readonly KnownAdr[];
    signal?: AbortSignal;
    /**
     * The bot's own previous review that this follow-up refines: Claude writes only what changed and the
     * refined review is that review with the changes merged in.
     */
    refines?: GroundedReview;
    onPartialReview?: (partial: unknown, json: string) => void;
    /** Milliseconds since some fixed point; Date.now unless a test hands in its own clock. */
    now?: () => number;
  },
): Promise<ConsultedReview> {
  const now = input.now ?? Date.now;
  const startedAt = now();
  const request = {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onPartialReview ? { onPartialReview: input.onPartialReview } : {}),
    model: input.model,
    system: input.context.system,
    messages: input.context.messages,
  };
  const source = sourceTextOf(input.context.messages);
  const previous = input.refines;
  const ground = (review: Review) => groundReview(review, source, input.adrs);
  const answer = previous
    ? await consultant.consult({ ...request, accept: FOLLOW_UP_TOOLS }).then((reply) => ({
        ...reply,
        // Only what changed, merged into the previous review; a model that wrote the whole review anyway
        // is taken at its word.
        review:
          reply.tool === DELTA_TOOL.definition.name
            ? mergeReviewDelta(previous, reply.review as ReviewDelta, (parts) =>
                ground({ ...previous, ...parts, findings: parts.findings }),
              )
            : ground(reply.review as Review),
      }))
    : await consultant.consult(request).then((full) => ({ ...full, review: ground(full.review) }));
  return {
    review: answer.review,
    model: answer.model,
    usage: answer.usage,
    claudeMs: now() - startedAt,
    asOf: todayIso(),
    notes: input.context.notes,
  };
}
