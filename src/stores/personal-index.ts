import type { ChainableCommander, Redis } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';

export interface PersonalIndexOptions {
  /** Entries kept per person. @defaultValue 20 */
  keep?: number;
  /** How long a quiet person's index lasts; each index names its own default. */
  ttlSeconds?: number;
  timeoutMs?: number;
}

/**
 * A short Redis structure per team and person (the Home tab's recent lists), whatever its type: every
 * write renews the key's expiry in the same transaction, so a quiet person's index lapses as a whole, and
 * every call is bounded, so a slow Redis never holds up Slack.
 */
export class PersonalIndex {
  readonly keep: number;
  readonly ttlSeconds: number;
  private readonly timeoutMs: number;

  /** `namespace` is the key up to the team and person, e.g. `${prefix}:user-adrs`. */
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    defaultTtlSeconds: number,
    options: PersonalIndexOptions = {},
  ) {
    this.keep = options.keep ?? 20;
    this.ttlSeconds = options.ttlSeconds ?? defaultTtlSeconds;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /** One key per team and person, and a single key per call, so it works on Redis Cluster. */
  key(teamId: string, userId: string): string {
    return `${this.namespace}:${teamId}:${userId}`;
  }

  /** Runs `commands` on the person's key in one MULTI that ends by renewing the key's expiry. */
  async write(
    teamId: string,
    userId: string,
    timeoutMessage: string,
    commands: (multi: ChainableCommander, key: string) => ChainableCommander,
  ): Promise<void> {
    const key = this.key(teamId, userId);
    await withTimeout(
      commands(this.redis.multi(), key).expire(key, this.ttlSeconds).exec(),
      this.timeoutMs,
      timeoutMessage,
    );
  }

  async read<T>(
    teamId: string,
    userId: string,
    timeoutMessage: string,
    command: (redis: Redis, key: string) => Promise<T>,
  ): Promise<T> {
    return withTimeout(command(this.redis, this.key(teamId, userId)), this.timeoutMs, timeoutMessage);
  }
}
