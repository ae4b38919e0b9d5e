import type { Redis } from 'ioredis';
import { z } from 'zod';
import { withTimeout } from '../lib/with-timeout';

/** One ADR a person saved from Slack, as their Home tab lists it. */
export const SavedAdrSchema = z.object({
  title: z.string(),
  status: z.string(),
  savedAt: z.number(),
  channelId: z.string(),
  threadTs: z.string(),
  /** The uploaded Markdown file's page in Slack, when the upload went through. */
  filePermalink: z.string().optional(),
  /** The pull request that adds it to the repository, when one was opened. */
  pullRequest: z.object({ url: z.string(), number: z.number(), path: z.string() }).optional(),
});
export type SavedAdr = z.infer<typeof SavedAdrSchema>;

export interface SavedAdrsOptions {
  /** ADRs kept per person. @defaultValue 20 */
  keep?: number;
  /** How long a quiet person's list lasts. @defaultValue 90 days */
  ttlSeconds?: number;
  timeoutMs?: number;
}

/**
 * Each person's recently saved ADRs, newest first, for the App Home tab: a short Redis list per team and
 * person, trimmed and expiring. An entry that no longer parses is skipped, never shown half.
 */
export class SavedAdrs {
  private readonly keep: number;
  private readonly ttlSeconds: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: SavedAdrsOptions = {},
  ) {
    this.keep = options.keep ?? 20;
    this.ttlSeconds = options.ttlSeconds ?? 90 * 24 * 3600;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  key(teamId: string, userId: string): string {
    return `${this.prefix}:user-adrs:${teamId}:${userId}`;
  }

  async add(teamId: string, userId: string, adr: SavedAdr): Promise<void> {
    const key = this.key(teamId, userId);
    await withTimeout(
      this.redis
        .multi()
        .lpush(key, JSON.stringify(SavedAdrSchema.parse(adr)))
        .ltrim(key, 0, this.keep - 1)
        .expire(key, this.ttlSeconds)
        .exec(),
      this.timeoutMs,
      'recording the saved ADR timed out',
    );
  }

  async recent(teamId: string, userId: string, limit = 10): Promise<SavedAdr[]> {
    const raw = await withTimeout(
      this.redis.lrange(this.key(teamId, userId), 0, Math.max(0, limit - 1)),
      this.timeoutMs,
      'reading the saved ADRs timed out',
    );
    return raw.flatMap((entry) => {
      try {
        const parsed = SavedAdrSchema.safeParse(JSON.parse(entry));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }
}
