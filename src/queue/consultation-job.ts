import { z } from 'zod';
import { TriggerSchema } from '../domain/request';
import { GroundedReviewSchema } from '../domain/review';

const slackTs = z.string().regex(/^\d+\.\d+$/, { message: 'must be a Slack message ts' });
const slackId = z.string().regex(/^[A-Z0-9]+$/, { message: 'must be a Slack id' });

/**
 * What was asked: written once by the ingress when the request is queued, and never changed after.
 * Holds ids and the user's text, never secrets.
 */
export const QueuedRequestSchema = z.object({
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
  /**
   * The person asked for a review in so many words (`/architect review …`, whose `review` is not in
   * `text`); otherwise the words decide: a question gets an answer, a design or "review" a review.
   */
  askedForReview: z.literal(true).optional(),
  /** Thread the review goes into; absent for a command, whose thread the worker starts (see checkpoints). */
  threadTs: slackTs.optional(),
  /** The message that triggered the request: the mention itself, or the message a reaction was put on. */
  messageTs: slackTs.optional(),
  requestedAt: z.number().int(),
  /** A slash command's response_url: how to reach the person when the bot cannot post in the channel. */
  responseUrl: z.string().max(500).optional(),
  /** For a follow-up: the answers to post in the thread, attributed to `userId`. */
  answers: z.array(z.object({ question: z.string(), answer: z.string() })).optional(),
  /** For a follow-up: whether a refined review follows the answers. */
  rerun: z.boolean().optional(),
  /** Questions already answered in the thread; the review must not ask them again. */
  answeredQuestions: z.array(z.string()).optional(),
  /** For a follow-up or another agent's run: the review it builds on, sent to Claude in full. */
  previousRequestId: z.string().min(1).max(100).optional(),
  /**
   * For a DM's "review this": what the person was looking at in Slack (a channel, or a message and its
   * thread), read as the context instead of the DM thread. The review still goes in the DM thread.
   */
  contextRef: z.object({ channelId: slackId, messageTs: slackTs.optional() }).optional(),
  /** For a Retry: the failed review's message, which this request takes over as its placeholder. */
  failedMessageTs: slackTs.optional(),
});
export type QueuedRequest = z.infer<typeof QueuedRequestSchema>;

/** Claude's validated, grounded reply with what it cost, as the worker checkpoints it. */
export const ConsultationReplySchema = z.object({
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
});
export type ConsultationReply = z.infer<typeof ConsultationReplySchema>;

/**
 * How far the worker got: written only by the worker, each before it moves on, so a retried attempt
 * resumes from here (updates the messages already posted, re-posts a reply already paid for) and never
 * posts anything twice.
 */
export const CheckpointsSchema = z.object({
  /** The thread the worker started for a command (its root message), or the request's own thread. */
  threadTs: slackTs.optional(),
  /** The placeholder, so a retried job updates it instead of posting another. */
  placeholderTs: slackTs.optional(),
  /** The reply streaming the summary while Claude writes; deleted once the review is in, or by a retry. */
  streamTs: slackTs.optional(),
  /** The steps message (task cards) of this attempt; a retried attempt deletes it and starts anew. */
  stepsTs: slackTs.optional(),
  /** The follow-up's answers once posted, so a retried follow-up does not post them twice. */
  answersTs: slackTs.optional(),
  /** Checkpointed before anything is posted: a Slack failure after it re-posts and never asks Claude again. */
  reply: ConsultationReplySchema.optional(),
  /** The reply message once posted; the placeholder is deleted after it. */
  replyTs: slackTs.optional(),
  /** Set once the review (or its failure) is delivered, so a retried job never posts it twice. */
  deliveredTs: z.array(slackTs).optional(),
});
export type Checkpoints = z.infer<typeof CheckpointsSchema>;

const CHECKPOINT_KEYS = Object.keys(CheckpointsSchema.shape) as (keyof Checkpoints)[];

/**
 * Jobs queued before the request and the checkpoints were separate objects held both in one flat
 * object; they are read as the two parts, so an upgrade loses none of the jobs in flight.
 */
function fromFlatJob(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || 'request' in data) return data;
  const flat: Record<string, unknown> = { ...data };
  const checkpoints: Record<string, unknown> = {};
  for (const key of CHECKPOINT_KEYS) {
    if (key === 'threadTs') continue;
    if (key in flat) checkpoints[key] = flat[key];
    delete flat[key];
  }
  // A command's thread was written into the same field by the worker; as a checkpoint it is resumed.
  if (flat.threadTs !== undefined) checkpoints.threadTs = flat.threadTs;
  return { request: flat, checkpoints };
}

/**
 * The request part of job data that may not parse (for labels and log fields, read leniently): the
 * `request` object, or the data itself for a job queued before the two parts were separate.
 */
export function requestPartOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null && 'request' in data ? data.request : data;
}

/**
 * The data of one consultation job as it is stored in Redis: what was asked and how far the worker
 * got. Parsed with zod when the worker picks it up, because Redis content is outside input like any other.
 */
export const ConsultationJobSchema = z.preprocess(
  fromFlatJob,
  z.object({ request: QueuedRequestSchema, checkpoints: CheckpointsSchema }),
);
export type ConsultationJob = z.infer<typeof ConsultationJobSchema>;

/** Finished jobs Redis keeps, by count and age (seconds): bounded, so Redis never grows without end. */
export interface JobRetention {
  /** Completed jobs kept, for Retry and inspection (KEEP_COMPLETED_JOBS, KEEP_COMPLETED_SECONDS). */
  keepCompleted: { count: number; age: number };
  /** Failed jobs kept, for Retry and inspection (KEEP_FAILED_JOBS, KEEP_FAILED_SECONDS). */
  keepFailed: { count: number; age: number };
}

/** Name of the BullMQ queue that carries consultations. */
export const CONSULTATION_QUEUE = 'consultations';
