import type { Redis } from 'ioredis';
import { withTimeout } from '../lib/with-timeout';

export interface CostLimits {
  /** Consultations one person may ask for in any hour (a sliding window); 0 means no limit. */
  requestsPerUserPerHour: number;
  /** Claude tokens (all kinds) one workspace may spend per UTC day; 0 means no limit. */
  dailyTokenBudgetPerTeam: number;
  /** Claude tokens every workspace together may spend per UTC day (OAuth mode's ceiling); 0 means no limit. */
  dailyTokenBudgetTotal?: number;
}

export type Admission =
  | { ok: true }
  | { ok: false; reason: 'rate_limit'; limit: number; resetsAt: Date }
  | { ok: false; reason: 'cost_guard'; limit: number; resetsAt: Date; scope?: 'deployment' };

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * One atomic decision per request, in one round trip: a request key seen before gets the earlier
 * decision back (Slack redelivers); otherwise the workspace's budget, then the person's count over the
 * last hour. The hour slides: each admitted request is a member scored by its time, and the ones older
 * than an hour drop out, so no boundary lets a person ask twice the limit in a few minutes.
 * KEYS: seen, user's requests, team day spend, everyone's day spend. ARGV: seen ttl, per-hour limit,
 * budget, hour, now, member, total budget.
 * Returns the decision and, for a rate limit, when the oldest request in the window leaves it.
 */
const ADMIT_SCRIPT = `
local earlier = redis.call('GET', KEYS[1])
if earlier then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2] or ARGV[5]
  return {'repeat', earlier, oldest}
end
local decision = 'admitted'
local budget = tonumber(ARGV[3])
local perHour = tonumber(ARGV[2])
local now = tonumber(ARGV[5])
local oldest = ARGV[5]
if perHour > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[4]))
end
local total = tonumber(ARGV[7])
if total > 0 and tonumber(redis.call('GET', KEYS[4]) or '0') >= total then
  decision = 'cost_guard_total'
elseif budget > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= budget then
  decision = 'cost_guard'
elseif perHour > 0 and redis.call('ZCARD', KEYS[2]) >= perHour then
  decision = 'rate_limit'
  oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]
elseif perHour > 0 then
  redis.call('ZADD', KEYS[2], now, ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
redis.call('SET', KEYS[1], decision, 'PX', ARGV[1])
return {'new', decision, oldest}
`;

/**
 * Reserves an estimate against the workspace's and everyone's day, unless it does not fit (a day with
 * nothing spent yet admits one request of any size, as before). KEYS: team day, everyone's day.
 * ARGV: estimate, team budget, total budget, key ttl. Returns 'ok', 'team' or 'total'.
 */
const RESERVE_SCRIPT = `
local estimate = tonumber(ARGV[1])
local budget = tonumber(ARGV[2])
local total = tonumber(ARGV[3])
local spentAll = tonumber(redis.call('GET', KEYS[2]) or '0')
if total > 0 and spentAll > 0 and spentAll + estimate > total then return 'total' end
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
if budget > 0 and spent > 0 and spent + estimate > budget then return 'team' end
redis.call('INCRBY', KEYS[1], estimate)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('INCRBY', KEYS[2], estimate)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 'ok'
`;

/**
 * Keeps a surprise bill from happening: a per-person limit over any hour (sliding) and a per-workspace
 * daily token budget (per UTC day), in Redis so every replica shares them. The budget is checked against
 * an estimate before Claude is called, and every token Claude bills, failed attempts included, counts.
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
    const total = this.limits.dailyTokenBudgetTotal ?? 0;
    // With every limit off there is nothing to count, and the request path stays free of Redis calls.
    if (perHour <= 0 && budget <= 0 && total <= 0) return { ok: true };
    const now = this.now();
    const reply = await this.timed(
      this.redis.eval(
        ADMIT_SCRIPT,
        4,
        `${this.prefix}:cost:seen:${requestKey}`,
        `${this.prefix}:cost:user:${teamId}:${userId}`,
        this.tokenKey(teamId, now),
        this.totalKey(now),
        this.seenTtlMs,
        perHour,
        budget,
        HOUR_MS,
        now,
        requestKey,
        total,
      ),
    );
    const [kind, decision, oldest] = Array.isArray(reply) ? reply.map(String) : [];
    const repeat = kind === 'repeat' ? { repeat: true } : {};
    if (decision === 'rate_limit') {
      return {
        ok: false,
        reason: 'rate_limit',
        limit: perHour,
        // A place frees up when the oldest request of the last hour is an hour old.
        resetsAt: new Date(Number(oldest ?? now) + HOUR_MS),
        ...repeat,
      };
    }
    if (decision === 'cost_guard') {
      return { ok: false, reason: 'cost_guard', limit: budget, resetsAt: nextWindow(now, DAY_MS), ...repeat };
    }
    if (decision === 'cost_guard_total') {
      const resetsAt = nextWindow(now, DAY_MS);
      return { ok: false, reason: 'cost_guard', scope: 'deployment', limit: total, resetsAt, ...repeat };
    }
    return { ok: true, ...repeat };
  }

  /**
   * Whether the workspace can afford a request estimated at `tokens` today; checked right before Claude
   * is called, since a queued request may wait while others spend the budget.
   */
  async canSpend(teamId: string, tokens: number): Promise<Admission> {
    const budget = this.limits.dailyTokenBudgetPerTeam;
    const total = this.limits.dailyTokenBudgetTotal ?? 0;
    if (budget <= 0 && total <= 0) return { ok: true };
    const now = this.now();
    const [team, everyone] = await this.timed(
      this.redis.mget(this.tokenKey(teamId, now), this.totalKey(now)),
    );
    const resetsAt = nextWindow(now, DAY_MS);
    const spentByAll = Number(everyone ?? 0);
    if (total > 0 && spentByAll + tokens > total && spentByAll > 0)
      return { ok: false, reason: 'cost_guard', scope: 'deployment', limit: total, resetsAt };
    const spent = Number(team ?? 0);
    if (budget <= 0 || spent + tokens <= budget || spent === 0) return { ok: true };
    return { ok: false, reason: 'cost_guard', limit: budget, resetsAt };
  }

  /**
   * `canSpend`, and if so the estimate counted at once against the workspace's day and everyone's, in
   * one atomic step: jobs running together each see the others' reservations, so they cannot all start
   * on a budget only one of them fits. An attempt that crashes before it settles stays counted at its
   * estimate. Resolves with what was reserved, to hand to `settle`.
   */
  async reserve(teamId: string, tokens: number): Promise<Admission & { reserved: number }> {
    const budget = this.limits.dailyTokenBudgetPerTeam;
    const total = this.limits.dailyTokenBudgetTotal ?? 0;
    if (budget <= 0 && total <= 0) return { ok: true, reserved: 0 };
    const now = this.now();
    const reply = await this.timed(
      this.redis.eval(
        RESERVE_SCRIPT,
        2,
        this.tokenKey(teamId, now),
        this.totalKey(now),
        Math.max(0, Math.round(tokens)),
        budget,
        total,
        2 * DAY_MS,
      ),
    );
    const resetsAt = nextWindow(now, DAY_MS);
    if (reply === 'total')
      return { ok: false, reason: 'cost_guard', scope: 'deployment', limit: total, resetsAt, reserved: 0 };
    if (reply === 'team') return { ok: false, reason: 'cost_guard', limit: budget, resetsAt, reserved: 0 };
    return { ok: true, reserved: Math.max(0, Math.round(tokens)) };
  }

  /** Replaces a reservation by what Claude actually billed (more or less than the estimate). */
  async settle(teamId: string, reserved: number, billed: number): Promise<void> {
    const counted = this.limits.dailyTokenBudgetPerTeam > 0 || (this.limits.dailyTokenBudgetTotal ?? 0) > 0;
    const delta = Math.round(billed) - reserved;
    if (!counted || delta === 0) return;
    const now = this.now();
    await this.timed(
      this.redis.multi().incrby(this.tokenKey(teamId, now), delta).incrby(this.totalKey(now), delta).exec(),
    );
  }

  /** Adds tokens Claude billed (a delivered review's, or a failed attempt's) to the workspace's spend for today. */
  async recordTokens(teamId: string, tokens: number): Promise<void> {
    const counted = this.limits.dailyTokenBudgetPerTeam > 0 || (this.limits.dailyTokenBudgetTotal ?? 0) > 0;
    if (!counted || tokens <= 0) return;
    const now = this.now();
    const key = this.tokenKey(teamId, now);
    const totalKey = this.totalKey(now);
    await this.timed(
      this.redis
        .multi()
        .incrby(key, Math.round(tokens))
        .pexpire(key, 2 * DAY_MS)
        .incrby(totalKey, Math.round(tokens))
        .pexpire(totalKey, 2 * DAY_MS)
        .exec(),
    );
  }

  private tokenKey(teamId: string, now: number): string {
    return `${this.prefix}:cost:tokens:${teamId}:${Math.floor(now / DAY_MS)}`;
  }

  /** Every workspace's spend today; named so no team id can collide with it. */
  private totalKey(now: number): string {
    return `${this.prefix}:cost:tokens-all:${Math.floor(now / DAY_MS)}`;
  }

  private timed<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, 2000, 'the cost guard could not reach Redis');
  }
}

function nextWindow(now: number, size: number): Date {
  return new Date((Math.floor(now / size) + 1) * size);
}
