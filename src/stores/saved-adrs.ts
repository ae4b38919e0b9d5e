import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PersonalIndex, type PersonalIndexOptions } from './personal-index';

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

export interface SavedAdrsOptions extends PersonalIndexOptions {
  /** How long a quiet person's list lasts. @defaultValue 90 days */
  ttlSeconds?: number;
}

/**
 * Each person's recently saved ADRs, newest first, for the App Home tab: a short Redis list per team and
 * person, trimmed and expiring. An entry that no longer parses is skipped, never shown half.
 */
export class SavedAdrs {
  private readonly index: PersonalIndex;

  constructor(redis: Redis, prefix: string, options: SavedAdrsOptions = {}) {
    this.index = new PersonalIndex(redis, `${prefix}:user-adrs`, 90 * 24 * 3600, options);
  }

  key(teamId: string, userId: string): string {
    return this.index.key(teamId, userId);
  }

  async add(teamId: string, userId: string, adr: SavedAdr): Promise<void> {
    const entry = JSON.stringify(SavedAdrSchema.parse(adr));
    await this.index.write(teamId, userId, 'recording the saved ADR timed out', (multi, key) =>
      multi.lpush(key, entry).ltrim(key, 0, this.index.keep - 1),
    );
  }

  async recent(teamId: string, userId: string, limit = 10): Promise<SavedAdr[]> {
    const raw = await this.index.read(teamId, userId, 'reading the saved ADRs timed out', (redis, key) =>
      redis.lrange(key, 0, Math.max(0, limit - 1)),
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
