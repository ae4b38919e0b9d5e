import { createHash } from 'node:crypto';
import { ErrorCode as SlackErrorCode } from '@slack/web-api';
import { CodedError, ErrorCode } from '../errors';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';
import type { SlackBudgetStore } from '../stores/slack-budget';
import { CALL_PRIORITIES, type CallIntent, type CallPriority, PRIORITY_SHARE } from './call-priority';
import type { RateTier } from './rate-tiers';

/** One Slack Web API call as the budget sees it. */
export interface ScheduledCall {
  /** The calling token, which stands for the workspace (Slack counts per app per workspace). */
  token: string;
  method: string;
  channel?: string;
}

export interface SchedulerObserver {
  /** A call waited `ms` for its budget (0 when it went at once). */
  waited(priority: CallPriority, ms: number): void;
  /** A call no longer wanted was dropped before it was sent (a newer progress state replaced it). */
  dropped(method: string, priority: CallPriority): void;
}

/** Thrown to the caller of a call dropped unsent; progress callers expect it and move on. */
export class DroppedCallError extends CodedError<typeof ErrorCode.SlackCallDropped> {
  constructor(method: string) {
    super(ErrorCode.SlackCallDropped, `${method} was dropped unsent: it was no longer wanted`);
  }
}

/** The longest a waiting call goes without asking Redis again. */
const MAX_POLL_MS = 250;

/** How many times one call is sent again after Slack answered 429 (it should not happen at all). */
const MAX_RATE_LIMITED_RETRIES = 5;

/**
 * The budget is counted a little wider than Slack's window. Each call counts from when it was answered,
 * which is after Slack saw it, so this only covers clocks that do not tick exactly alike.
 */
const windowWithMargin = (tier: RateTier) => tier.windowMs + 100 + Math.ceil(tier.windowMs * 0.01);

/**
 * The one gate in front of every Slack Web API call: calls wait for their workspace's budget (shared
 * by every process through Redis), the most urgent first, and a 429 holds only its own method, for
 * its Retry-After, in every process. Redis unreachable: calls go out unbudgeted rather than not at all.
 */
export class SlackCallScheduler {
  private readonly lanes = new Map<string, Lane>();
  private readonly workspaceKeys = new Map<string, string>();

  constructor(
    private readonly budget: SlackBudgetStore,
    private readonly tiers: ReadonlyMap<string, RateTier>,
    private readonly log: Logger,
    private readonly observer?: SchedulerObserver,
    /** The longest a call may be on its way to Slack (the client's timeout): counted that late until answered. */
    private readonly inflightMs = 30_000,
  ) {}

  /** Whether calls to `method` have a budget (the ones without one go straight out). */
  budgets(method: string): boolean {
    return this.tiers.has(method);
  }

  countsPerChannel(method: string): boolean {
    return this.tiers.get(method)?.perChannel === true;
  }

  /** Sends the call with `send` once its budget allows, again (after Retry-After) when Slack says 429. */
  async run<T>(call: ScheduledCall, intent: CallIntent, send: () => Promise<T>): Promise<T> {
    const tier = this.tiers.get(call.method);
    const key = this.keyOf(call, tier);
    for (let retries = 0; ; retries++) {
      const started = Date.now();
      const lane = this.lane(key, tier);
      const member = await lane.acquire(intent, call.method);
      this.observer?.waited(intent.priority, Date.now() - started);
      try {
        return await send();
      } catch (error) {
        const retryAfterSec = rateLimitedFor(error);
        if (retryAfterSec === undefined || retries >= MAX_RATE_LIMITED_RETRIES) throw error;
        this.log.warn({ method: call.method, retryAfterSec }, 'Slack answered 429; holding this method');
        await this.lane(key, tier).hold(retryAfterSec * 1000);
      } finally {
        if (member) lane.done(member);
      }
    }
  }

  private keyOf(call: ScheduledCall, tier: RateTier | undefined): string {
    const workspace = this.workspaceOf(call.token);
    return tier?.perChannel && call.channel
      ? `${workspace}:${call.method}:${call.channel}`
      : `${workspace}:${call.method}`;
  }

  /** A short hash of the token: the budget's key never holds a secret. */
  private workspaceOf(token: string): string {
    let key = this.workspaceKeys.get(token);
    if (!key) {
      key = createHash('sha256').update(token).digest('hex').slice(0, 16);
      this.workspaceKeys.set(token, key);
    }
    return key;
  }

  private lane(key: string, tier: RateTier | undefined): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane(key, tier, this.budget, this.log, this.observer, this.inflightMs, () =>
        this.lanes.delete(key),
      );
      this.lanes.set(key, lane);
    }
    return lane;
  }
}

interface Waiter {
  rank: number;
  seq: number;
  priority: CallPriority;
  method: string;
  grant: (member: string | undefined) => void;
  drop: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  noWait?: boolean;
}

/**
 * The calls of this process waiting on one key (workspace, method, channel), in priority order: only
 * the most urgent asks Redis for the budget, so a later delivery overtakes earlier progress.
 */
class Lane {
  private readonly waiters: Waiter[] = [];
  private seq = 0;
  private pumping = false;
  private wake: (() => void) | undefined;
  /** For a method with no tier: Retry-After is held here, in this process. */
  private heldUntil = 0;

  constructor(
    private readonly key: string,
    private readonly tier: RateTier | undefined,
    private readonly budget: SlackBudgetStore,
    private readonly log: Logger,
    private readonly observer: SchedulerObserver | undefined,
    private readonly inflightMs: number,
    private readonly release: () => void,
  ) {}

  /** Resolves once the call may go, with its member in the shared window (none when unbudgeted). */
  acquire(intent: CallIntent, method: string): Promise<string | undefined> {
    if (intent.signal?.aborted) {
      this.observer?.dropped(method, intent.priority);
      return Promise.reject(new DroppedCallError(method));
    }
    if (!this.tier && this.heldUntil <= Date.now() && this.waiters.length === 0)
      return Promise.resolve(undefined);
    // Others already wait, or Slack holds the method: the budget is short, and this call does not wait.
    if (intent.noWait && (this.waiters.length > 0 || this.heldUntil > Date.now())) {
      this.observer?.dropped(method, intent.priority);
      return Promise.reject(new DroppedCallError(method));
    }
    return new Promise<string | undefined>((resolve, reject) => {
      const waiter: Waiter = {
        rank: CALL_PRIORITIES.indexOf(intent.priority),
        seq: ++this.seq,
        priority: intent.priority,
        method,
        grant: resolve,
        drop: () => reject(new DroppedCallError(method)),
        ...(intent.signal ? { signal: intent.signal } : {}),
        ...(intent.noWait ? { noWait: true } : {}),
      };
      if (intent.signal) {
        waiter.onAbort = () => this.remove(waiter);
        intent.signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      const at = this.waiters.findIndex((w) => w.rank > waiter.rank);
      this.waiters.splice(at === -1 ? this.waiters.length : at, 0, waiter);
      // A new head may be allowed what the one before it was waiting for: ask again now.
      if (this.waiters[0] === waiter) this.wake?.();
      if (!this.pumping) void this.pump();
    });
  }

  /** The call counted as `member` was answered: it counts from now. Best effort, never awaited. */
  done(member: string): void {
    this.budget
      .done(this.key, member)
      .catch((error: unknown) =>
        this.log.debug({ err: errorMessage(error) }, 'could not record a Slack call’s answer in the budget'),
      );
    // A call of this process on its way may have been what the head waits for.
    this.wake?.();
  }

  async hold(ms: number): Promise<void> {
    this.heldUntil = Math.max(this.heldUntil, Date.now() + ms);
    if (!this.tier) return;
    await this.budget
      .hold(this.key, ms)
      .catch((error: unknown) =>
        this.log.warn({ err: errorMessage(error) }, 'could not share a Retry-After with other processes'),
      );
  }

  private remove(waiter: Waiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at === -1) return;
    this.waiters.splice(at, 1);
    this.observer?.dropped(waiter.method, waiter.priority);
    waiter.drop();
    if (at === 0) this.wake?.();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const head = this.waiters[0] as Waiter;
        const taken = await this.take(head.priority);
        if ('waitMs' in taken && head.noWait) {
          this.remove(head);
          continue;
        }
        if ('waitMs' in taken) {
          // Asked again at least every so often: a call of another process answered early frees its place.
          await this.sleep(Math.min(taken.waitMs, MAX_POLL_MS));
          continue;
        }
        // Granted for the head; if it was dropped meanwhile, the next one takes its place.
        const next = this.waiters.shift();
        if (!next) {
          if (taken.member) this.done(taken.member);
          continue;
        }
        if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
        next.grant(taken.member);
      }
    } finally {
      this.pumping = false;
      // A lane holding a Retry-After of its own is kept until the hold is over.
      if (this.heldUntil <= Date.now()) this.release();
    }
  }

  /** The call at `priority` may go now (counted as `member`), or in `waitMs`. */
  private async take(priority: CallPriority): Promise<{ member?: string } | { waitMs: number }> {
    const held = this.heldUntil - Date.now();
    if (held > 0) return { waitMs: held };
    if (!this.tier) return {};
    const allowed = Math.max(1, Math.ceil(this.tier.limit * PRIORITY_SHARE[priority]));
    try {
      return await this.budget.take(this.key, windowWithMargin(this.tier), allowed, this.inflightMs);
    } catch (error) {
      this.log.warn(
        { err: errorMessage(error) },
        'the Slack budget is unavailable; the call goes unbudgeted',
      );
      return {};
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/** Retry-After (seconds) of a call Slack refused with 429, when `error` is that. */
function rateLimitedFor(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  if (error.code !== SlackErrorCode.RateLimitedError) return undefined;
  return 'retryAfter' in error && typeof error.retryAfter === 'number' ? error.retryAfter : 1;
}
