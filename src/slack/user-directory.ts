import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

const UserInfoSchema = z.object({
  user: z
    .object({
      name: z.string().optional(),
      real_name: z.string().optional(),
      profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
    })
    .optional(),
});

/**
 * Display names by user id, cached per worker process: a busy thread names the same few people many
 * times, and users.info is rate-limited. A lookup failure falls back to the id rather than failing the review.
 */
export class UserDirectory {
  private readonly cache = new Map<string, { name: string; expires: number }>();

  constructor(
    private readonly slack: WebClient,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxEntries = 10_000,
  ) {}

  async displayName(userId: string): Promise<string> {
    const hit = this.cache.get(userId);
    if (hit && hit.expires > Date.now()) return hit.name;
    let name = userId;
    try {
      const info = UserInfoSchema.parse(await this.slack.users.info({ user: userId }));
      const u = info.user;
      name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || userId;
    } catch {
      return userId;
    }
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(userId, { name, expires: Date.now() + this.ttlMs });
    return name;
  }

  /** Names for several ids at once, looked up in parallel. */
  async displayNames(userIds: Iterable<string>): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    const names = await Promise.all(ids.map((id) => this.displayName(id)));
    return new Map(ids.map((id, i) => [id, names[i] ?? id]));
  }
}
