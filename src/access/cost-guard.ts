import type { Redis } from 'ioredis';
import { withTimeout } from '../queue/redis-connections';

export interface CostLimits {
  /** Consultations one person may ask for per clock hour; 0 means no limit. */
  requestsPerUserPerHour: number;
  /** Claude tokens (all kinds) one workspace may spend per UTC day; 0 means no limit. */
  dailyTokenBudgetPerTeam: number;
}

export type Admission =
  | { ok: true }
  | { ok: false; reason: 'rate_limit'; limit: number; resetsAt: Date }
  | { ok: false; reason: 'cost_guard'; limit: number; resetsAt: Date };

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Keeps a surprise bill from happening: a per-person hourly request limit and a per-workspace daily
 * token budget, both as fixed windows in Redis so every replica shares them.
 */
export class CostGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: CostLimits,
    /** How long a request key is remembered: as long as Slack may redeliver it. */
    private readonly seenTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits one consultation for `userId` (counting it) or says which limit refuses it and when it
   * resets. Slack redelivers requests: a repeat of `requestKey` is not counted again, and a repeat of
   * a refused request is refused again quietly (`repeat`), so the person is told once.
   */
  async admit(teamId: string, userId: string, requestKey: string): Promise<Admission & { repeat?: boolean }> {
    const seenKey = `${this.prefix}:cost:seen:${requestKey}`;
    const claimed = await this.timed(this.redis.set(seenKey, 'deciding', 'PX', this.seenTtlMs, 'NX'));
    if (claimed !== 'OK') {
      const earlier = await this.earlierDecision(seenKey);
      if (earlier !== 'refused') return { ok: true, repeat: true };
      return { ...(await this.decide(teamId, userId, false)), ok: false, repeat: true } as Admission & {
        repeat: true;
      };
    }
    const decision = await this.decide(teamId, userId, true);
    await this.timed(this.redis.set(seenKey, decision.ok ? 'admitted' : 'refused', 'PX', this.seenTtlMs));
    return decision;
  }

  /** The decision taken for an earlier delivery; a concurrent one is waited for, briefly. */
  private async earlierDecision(seenKey: string): Promise<string | null> {
    for (let i = 0; i < 40; i++) {
      const value = await this.timed(this.redis.get(seenKey));
      if (value !== 'deciding') return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    return 'deciding';
  }

  private async decide(teamId: string, userId: string, count: boolean): Promise<Admission> {
    const now = this.now();
    const { dailyTokenBudgetPerTeam: budget, requestsPerUserPerHour: perHour } = this.limits;
    if (budget > 0) {
      const spent = Number((await this.timed(this.redis.get(this.tokenKey(teamId, now)))) ?? 0);
      if (spent >= budget)
        return { ok: false, reason: 'cost_guard', limit: budget, resetsAt: nextWindow(now, DAY_MS) };
    }
    if (perHour > 0) {
      const key = `${this.prefix}:cost:user:${teamId}:${userId}:${Math.floor(now / HOUR_MS)}`;
      if (!count)
        return { ok: false, reason: 'rate_limit', limit: perHour, resetsAt: nextWindow(now, HOUR_MS) };
      const [[, used]] = (await this.timed(this.redis.multi().incr(key).pexpire(key, HOUR_MS).exec())) as [
        [unknown, number],
      ];
      if (used > perHour) {
        // A refused request does not use up the allowance.
        await this.timed(this.redis.decr(key));
        return { ok: false, reason: 'rate_limit', limit: perHour, resetsAt: nextWindow(now, HOUR_MS) };
      }
    }
    return { ok: true };
  }

  /** Adds a finished consultation's tokens to its workspace's spend for today. */
  async recordTokens(teamId: string, tokens: number): Promise<void> {
    if (this.limits.dailyTokenBudgetPerTeam <= 0 || tokens <= 0) return;
    const key = this.tokenKey(teamId, this.now());
    await this.timed(
      this.redis
        .multi()
        .incrby(key, Math.round(tokens))
        .pexpire(key, 2 * DAY_MS)
        .exec(),
    );
  }

  private tokenKey(teamId: string, now: number): string {
    return `${this.prefix}:cost:tokens:${teamId}:${Math.floor(now / DAY_MS)}`;
  }

  private timed<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, 2000, 'the cost guard could not reach Redis');
  }
}

function nextWindow(now: number, size: number): Date {
  return new Date((Math.floor(now / size) + 1) * size);
}
