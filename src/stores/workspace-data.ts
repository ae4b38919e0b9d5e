import type { Redis } from 'ioredis';
import { z } from 'zod';

const TeamOfSchema = z.object({ teamId: z.string() });
const SCAN_COUNT = 500;

/**
 * Everything Redis keeps about one workspace, found to be forgotten when it uninstalls the app: its
 * reviews (by their `teamId`), its people's Home lists and viewed contexts, and its counters. Keys that
 * name the workspace are found by pattern; reviews, keyed by request id, are read to learn whose they
 * are. A SCAN walks the keyspace in steps, so a large Redis is not blocked while it runs.
 */
export class WorkspaceData {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Deletes the workspace's data; resolves with how many keys went. */
  async forget(teamId: string): Promise<number> {
    if (!/^[A-Z0-9]+$/.test(teamId)) throw new Error('not a Slack team id');
    let deleted = 0;
    // `…:user-reviews:T…:U…`, `…:user-adrs:T…:U…`, `…:viewed-context:T…:U…`, `…:cost:user:T…:U…`, `…:cost:tokens:T…:day`.
    for await (const keys of this.scan(`${this.prefix}:*:${teamId}:*`)) deleted += await this.del(keys);
    for await (const keys of this.scan(`${this.prefix}:review:*`)) {
      const values = keys.length > 0 ? await this.redis.mget(...keys) : [];
      const theirs = keys.filter((_, i) => isTeams(values[i], teamId));
      deleted += await this.del(theirs);
    }
    return deleted;
  }

  private async *scan(match: string): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  private async del(keys: string[]): Promise<number> {
    return keys.length > 0 ? this.redis.del(...keys) : 0;
  }
}

function isTeams(raw: string | null | undefined, teamId: string): boolean {
  if (!raw) return false;
  try {
    const parsed = TeamOfSchema.safeParse(JSON.parse(raw));
    return parsed.success && parsed.data.teamId === teamId;
  } catch {
    return false;
  }
}
