import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';

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
 * One atomic decision per request, in one round trip: a request key seen before gets the earlier
 * decision back (Slack redelivers); otherwise the workspace's budget, then the person's hourly count.
 * KEYS: seen, user hour counter, team day spend. ARGV: seen ttl, per-hour limit, budget, hour ttl.
 */
const ADMIT_SCRIPT = `
local earlier = redis.call('GET', KEYS[1])
if earlier then return {'repeat', earlier} end
local decision = 'admitted'
local budget = tonumber(ARGV[3])
local perHour = tonumber(ARGV[2])
if budget > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= budget then
  decision = 'cost_guard'
elseif perHour > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= perHour then
  decision = 'rate_limit'
elseif perHour > 0 then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
redis.call('SET', KEYS[1], decision, 'PX', ARGV[1])
return {'new', decision}
`;

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
   * resets. A repeat of `requestKey` is not counted again, and a repeat of a refused request is
   * refused again with `repeat` set, so the person is told once.
   */
  async admit(teamId: string, userId: string, requestKey: string): Promise<Admission & { repeat?: boolean }> {
    const { requestsPerUserPerHour: perHour, dailyTokenBudgetPerTeam: budget } = this.limits;
    // With both limits off there is nothing to count, and the request path stays free of Redis calls.
    if (perHour <= 0 && budget <= 0) return { ok: true };
    const now = this.now();
    const reply = await this.timed(
      this.redis.eval(
        ADMIT_SCRIPT,
        3,
        `${this.prefix}:cost:seen:${requestKey}`,
        `${this.prefix}:cost:user:${teamId}:${userId}:${Math.floor(now / HOUR_MS)}`,
        this.tokenKey(teamId, now),
        this.seenTtlMs,
        perHour,
        budget,
        HOUR_MS,
      ),
    );
    const [kind, decision] = Array.isArray(reply) ? reply.map(String) : [];
    const repeat = kind === 'repeat' ? { repeat: true } : {};
    if (decision === 'rate_limit') {
      return {
        ok: false,
        reason: 'rate_limit',
        limit: perHour,
        resetsAt: nextWindow(now, HOUR_MS),
        ...repeat,
      };
    }
    if (decision === 'cost_guard') {
      return { ok: false, reason: 'cost_guard', limit: budget, resetsAt: nextWindow(now, DAY_MS), ...repeat };
    }
    return { ok: true, ...repeat };
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
