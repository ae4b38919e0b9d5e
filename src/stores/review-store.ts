import type { Redis } from 'ioredis';
import { z } from 'zod';
import { GroundedReviewSchema } from '../domain/review';
import { withTimeout } from '../lib/with-timeout';

/**
 * What a delivered review's buttons need later, kept in Redis rather than in process memory so that
 * a click works after a restart and on any replica.
 */
export const ReviewRecordSchema = z.object({
  requestId: z.string(),
  teamId: z.string(),
  /** The organisation of the request (Enterprise Grid); a click from any other is refused. */
  enterpriseId: z.string().optional(),
  /** Whether the org-wide install served it: a job built from a click uses the same installation. */
  isEnterpriseInstall: z.boolean().optional(),
  channelId: z.string(),
  threadTs: z.string(),
  agentName: z.string(),
  summary: z.string(),
  questions: z.array(z.object({ label: z.string(), question: z.string() })),
  /** Questions answered in this thread before this review, so follow-ups never ask them again. */
  answered: z.array(z.string()),
  /** The user whose request produced the review; a re-run keeps attributing it to them. */
  userId: z.string(),
  createdAt: z.number(),
  /** The whole grounded review: the full-review view, and the previous review a follow-up builds on. */
  review: GroundedReviewSchema.optional(),
  /** How it was produced, for the full review's footer. */
  produced: z
    .object({
      model: z.string(),
      durationMs: z.number(),
      asOf: z.string(),
      usage: z.object({
        inputTokens: z.number(),
        outputTokens: z.number(),
        cacheReadTokens: z.number(),
        cacheWriteTokens: z.number(),
      }),
      notes: z.array(z.string()),
    })
    .optional(),
  /** 👍/👎 on the reply: who, when, which way; one vote per person, the latest wins. */
  feedback: z
    .array(z.object({ userId: z.string(), vote: z.enum(['up', 'down']), at: z.number() }))
    .optional(),
});
export type ReviewRecord = z.infer<typeof ReviewRecordSchema>;

/** Reviews by request id, in Redis, each kept for `ttlSeconds`. */
export class ReviewStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 30 * 24 * 3600,
    private readonly timeoutMs = 2000,
  ) {}

  private key(requestId: string): string {
    return `${this.prefix}:review:${requestId}`;
  }

  async save(record: ReviewRecord): Promise<void> {
    await withTimeout(
      this.redis.set(this.key(record.requestId), JSON.stringify(record), 'EX', this.ttlSeconds),
      this.timeoutMs,
      'saving the review timed out',
    );
  }

  /** Records one person's vote on the review; false when the review is gone. */
  async recordFeedback(
    requestId: string,
    vote: { userId: string; vote: 'up' | 'down'; at: number },
  ): Promise<ReviewRecord | undefined> {
    const record = await this.get(requestId);
    if (!record) return undefined;
    const feedback = [...(record.feedback ?? []).filter((f) => f.userId !== vote.userId), vote];
    const next = { ...record, feedback };
    const ttl = await this.redis.ttl(this.key(requestId));
    await withTimeout(
      this.redis.set(this.key(requestId), JSON.stringify(next), 'EX', ttl > 0 ? ttl : this.ttlSeconds),
      this.timeoutMs,
      'saving the feedback timed out',
    );
    return next;
  }

  /** The record, or undefined when it expired, never existed, or no longer parses. */
  async get(requestId: string): Promise<ReviewRecord | undefined> {
    const raw = await withTimeout(
      this.redis.get(this.key(requestId)),
      this.timeoutMs,
      'reading the review timed out',
    );
    if (raw === null) return undefined;
    try {
      const parsed = ReviewRecordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
