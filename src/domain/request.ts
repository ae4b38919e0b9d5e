import { z } from 'zod';
import type { GroundedReview } from './review';

/**
 * What asked for the consultation; it decides how the worker reads the context. `dm` is a message to
 * the bot's DM (the DM thread is the context, or what the person is looking at for "review this");
 * `shortcut` is "Review with Architect" on a message, reviewed like the review emoji.
 */
export const TriggerSchema = z.enum([
  'command',
  'mention',
  'reaction',
  'followup',
  'rerun',
  'dm',
  'shortcut',
]);
export type Trigger = z.infer<typeof TriggerSchema>;

/** What the person asked for, as the prompt states it. */
export interface ConsultationRequest {
  trigger: Trigger;
  requesterName: string;
  /** What the user typed with the request (design text, question); may be empty for a reaction. */
  text: string;
  /** The review this request follows up on, given to Claude in full (the thread shows only its summary). */
  previousReview?: { agentName: string; review: GroundedReview };
  /** For a follow-up: the answers just given to the previous review's questions. */
  answers?: { question: string; answer: string }[];
  /** Questions already answered in this thread: they must not be asked again. */
  answeredQuestions?: string[];
  /** They asked for a review in so many words (`/architect review …`): the reply is a review. */
  askedForReview?: boolean;
  /** For a DM's "review this": what the person was looking at, shown to Claude in the thread's place. */
  contextLabel?: string;
  /** The team's ADRs as precedent (a <team_decisions> element, see precedent.ts), when configured. */
  teamDecisions?: string;
}
