import { z } from 'zod';
import { TriggerSchema } from '../domain/request';
import { GroundedReviewSchema } from '../domain/review';

const slackTs = z.string().regex(/^\d+\.\d+$/, { message: 'must be a Slack message ts' });
const slackId = z.string().regex(/^[A-Z0-9]+$/, { message: 'must be a Slack id' });

/**
 * The data of one consultation job as it is stored in Redis. Parsed with zod when the worker picks it
 * up, because Redis content is outside input like any other. Holds ids and the user's text, never secrets.
 */
export const ConsultationJobSchema = z.object({
  requestId: z.string().min(1),
  trigger: TriggerSchema,
  teamId: z.string(),
  /** OAuth mode: the organisation whose org-wide install serves the request (Enterprise Grid). */
  enterpriseId: slackId.optional(),
  /** OAuth mode: the request is served by the org-wide install of `enterpriseId`. */
  isEnterpriseInstall: z.boolean().optional(),
  channelId: slackId,
  userId: slackId,
  agentName: z.string().min(1),
  /** The text the user typed (command text or mention text without the mention and flags). */
  text: z.string(),
  /** Thread the review goes into; absent for a command until the worker posts its root message. */
  threadTs: slackTs.optional(),
  /** The message that triggered the request: the mention itself, or the message a reaction was put on. */
  messageTs: slackTs.optional(),
  /** Set by the worker once its placeholder is posted, so a retried job updates it instead of posting again. */
  placeholderTs: slackTs.optional(),
  /** The reply streaming the summary while Claude writes; deleted once the review is in, or by a retry. */
  streamTs: slackTs.optional(),
  /** Set once the final review has been delivered, so a retried job never posts it twice. */
  deliveredTs: z.array(slackTs).optional(),
  requestedAt: z.number().int(),
  /** A slash command's response_url: how to reach the person when the bot cannot post in the channel. */
  responseUrl: z.string().max(500).optional(),
  /** For a follow-up: the answers to post in the thread, attributed to `userId`. */
  answers: z.array(z.object({ question: z.string(), answer: z.string() })).optional(),
  /** For a follow-up: whether a refined review follows the answers. */
  rerun: z.boolean().optional(),
  /** Set once the answers are posted, so a retried follow-up does not post them twice. */
  answersTs: slackTs.optional(),
  /** Questions already answered in the thread; the review must not ask them again. */
  answeredQuestions: z.array(z.string()).optional(),
  /** For a follow-up or another agent's run: the review it builds on, sent to Claude in full. */
  previousRequestId: z.string().min(1).max(100).optional(),
  /**
   * Claude's validated, grounded reply, checkpointed before anything is posted: a Slack failure after
   * it re-posts from here and never calls Claude again.
   */
  reply: z
    .object({
      review: GroundedReviewSchema,
      model: z.string(),
      usage: z.object({
        inputTokens: z.number(),
        outputTokens: z.number(),
        cacheReadTokens: z.number(),
        cacheWriteTokens: z.number(),
      }),
      claudeMs: z.number(),
      asOf: z.string(),
      notes: z.array(z.string()),
    })
    .optional(),
  /** The reply message once posted; the placeholder is deleted after it. */
  replyTs: slackTs.optional(),
  /**
   * For a DM's "review this": what the person was looking at in Slack (a channel, or a message and its
   * thread), read as the context instead of the DM thread. The review still goes in the DM thread.
   */
  contextRef: z.object({ channelId: slackId, messageTs: slackTs.optional() }).optional(),
  /** The steps message (task cards) of this attempt; a retried attempt deletes it and starts anew. */
  stepsTs: slackTs.optional(),
});
export type ConsultationReply = NonNullable<ConsultationJob['reply']>;
export type ConsultationJob = z.infer<typeof ConsultationJobSchema>;

/** Finished jobs Redis keeps, by count and age (seconds): bounded, so Redis never grows without end. */
export interface JobRetention {
  keepCompleted: { count: number; age: number };
  keepFailed: { count: number; age: number };
}

/** Name of the BullMQ queue that carries consultations. */
export const CONSULTATION_QUEUE = 'consultations';
