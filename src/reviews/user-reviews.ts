import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';
import type { ReviewRecord } from './review-store';

export interface UserReviewsOptions {
  /** Reviews kept per user; older ones drop off. @defaultValue 20 */
  keep?: number;
  /** How long an entry (and a quiet user's list) lasts; matches ReviewStore's record lifetime. @defaultValue 30 days */
  ttlSeconds?: number;
  timeoutMs?: number;
}

/**
 * Each user's recently delivered reviews, newest first, for the App Home tab: a Redis sorted set per
 * team and user of request ids scored by delivery time, trimmed and expiring. The reviews themselves
 * are read from the ReviewStore, so nothing is stored twice.
 */
export class UserReviews {
  private readonly keep: number;
  private readonly ttlSeconds: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly reviews: { get(requestId: string): Promise<ReviewRecord | undefined> },
    options: UserReviewsOptions = {},
  ) {
    this.keep = options.keep ?? 20;
    this.ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /** One key per team and user (a single key per call, so it works on Redis Cluster). */
  key(teamId: string, userId: string): string {
    return `${this.prefix}:user-reviews:${teamId}:${userId}`;
  }

  /** Records a review delivered to `userId`; re-recording the same request only moves it to the top. */
  async add(entry: {
    teamId: string;
    userId: string;
    requestId: string;
    deliveredAt: number;
  }): Promise<void> {
    const key = this.key(entry.teamId, entry.userId);
    const oldest = entry.deliveredAt - this.ttlSeconds * 1000;
    await withTimeout(
      this.redis
        .multi()
        .zadd(key, entry.deliveredAt, entry.requestId)
        .zremrangebyrank(key, 0, -(this.keep + 1))
        .zremrangebyscore(key, '-inf', `(${oldest}`)
        .expire(key, this.ttlSeconds)
        .exec(),
      this.timeoutMs,
      'recording the user’s review timed out',
    );
  }

  /** Up to `limit` of the user's reviews, newest first; expired ones are skipped. */
  async recent(teamId: string, userId: string, limit = 10): Promise<ReviewRecord[]> {
    const ids = await withTimeout(
      this.redis.zrevrange(this.key(teamId, userId), 0, Math.max(0, limit - 1)),
      this.timeoutMs,
      'reading the user’s reviews timed out',
    );
    const records = await Promise.all(ids.map((id) => this.reviews.get(id)));
    return records.filter((r): r is ReviewRecord => r !== undefined);
  }
}
