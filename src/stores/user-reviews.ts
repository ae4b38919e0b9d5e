import type { Redis } from 'ioredis';
import { PersonalIndex, type PersonalIndexOptions } from './personal-index';
import type { ReviewRecord } from './review-store';

export interface UserReviewsOptions extends PersonalIndexOptions {
  /** How long an entry (and a quiet user's list) lasts; matches ReviewStore's record lifetime. @defaultValue 30 days */
  ttlSeconds?: number;
}

/**
 * Each user's recently delivered reviews, newest first, for the App Home tab: a Redis sorted set per
 * team and user of request ids scored by delivery time, trimmed and expiring. The reviews themselves
 * are read from the ReviewStore, so nothing is stored twice.
 */
export class UserReviews {
  private readonly index: PersonalIndex;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly reviews: { get(requestId: string): Promise<ReviewRecord | undefined> },
    options: UserReviewsOptions = {},
  ) {
    this.index = new PersonalIndex(redis, `${prefix}:user-reviews`, 30 * 24 * 3600, options);
  }

  key(teamId: string, userId: string): string {
    return this.index.key(teamId, userId);
  }

  /** Records a review delivered to `userId`; re-recording the same request only moves it to the top. */
  async add(entry: {
    teamId: string;
    userId: string;
    requestId: string;
    deliveredAt: number;
  }): Promise<void> {
    // Members never expire on their own: those older than the TTL, whose reviews are gone too, go by score.
    const oldest = entry.deliveredAt - this.index.ttlSeconds * 1000;
    await this.index.write(
      entry.teamId,
      entry.userId,
      'recording the user’s review timed out',
      (multi, key) =>
        multi
          .zadd(key, entry.deliveredAt, entry.requestId)
          .zremrangebyrank(key, 0, -(this.index.keep + 1))
          .zremrangebyscore(key, '-inf', `(${oldest}`),
    );
  }

  /** Up to `limit` of the user's reviews, newest first; expired ones are skipped. */
  async recent(teamId: string, userId: string, limit = 10): Promise<ReviewRecord[]> {
    const ids = await this.index.read(teamId, userId, 'reading the user’s reviews timed out', (redis, key) =>
      redis.zrevrange(key, 0, Math.max(0, limit - 1)),
    );
    const records = await Promise.all(ids.map((id) => this.reviews.get(id)));
    return records.filter((r): r is ReviewRecord => r !== undefined);
  }
}
