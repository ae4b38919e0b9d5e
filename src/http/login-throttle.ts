/**
 * Slows password guessing against the queue dashboard: each client address gets a few free wrong
 * passwords, then must wait before its next attempt, the wait doubling with every further failure.
 * An address is remembered for a day after its last failure, so waiting out a few quiet minutes does
 * not buy a fresh set of free guesses; and all addresses together share a larger budget, so guesses
 * spread over many addresses are slowed too (their wait is capped, so an operator is at worst delayed).
 *
 * State is in memory, per process. The dashboard is an operator tool meant for an internal address,
 * so a shared Redis counter would add a failure mode (Redis down: is the dashboard locked or open?)
 * for little gain; with several web replicas an attacker gets one budget per replica.
 */
export interface LoginThrottleOptions {
  /** Wrong passwords an address may send in a row; after the last of them it has to wait. */
  freeFailures?: number;
  /** The first wait, doubled for each further failure. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Addresses remembered at once; the least recently failing are forgotten first. */
  maxTrackedAddresses?: number;
  /** How long a quiet address's failures are remembered after its last one. */
  forgetAfterMs?: number;
  /** Wrong passwords from all addresses together before everyone has to wait. */
  freeFailuresOverall?: number;
  now?: () => number;
}

interface Failures {
  count: number;
  /** The next attempt from this address is refused before this time. */
  blockedUntil: number;
}

export const LOGIN_THROTTLE_DEFAULTS = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60 * 1000,
  maxTrackedAddresses: 10_000,
  forgetAfterMs: 24 * 60 * 60 * 1000,
  freeFailuresOverall: 50,
} as const;

/** The key of the failures of all addresses together (never a client address). */
const EVERYONE = '*';

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();
  private readonly settings: Required<Omit<LoginThrottleOptions, 'now'>>;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    const { now, ...rest } = options;
    this.settings = { ...LOGIN_THROTTLE_DEFAULTS, ...rest };
    this.now = now ?? Date.now;
  }

  /** Milliseconds until `address` may try a password again; 0 when it may try now. */
  waitMs(address: string): number {
    return Math.max(this.waitOf(address), this.waitOf(EVERYONE));
  }

  recordFailure(address: string): void {
    this.count(address, this.settings.freeFailures);
    this.count(EVERYONE, this.settings.freeFailuresOverall);
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  private waitOf(key: string): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    const wait = entry.blockedUntil - this.now();
    // Forget only after a long quiet time: a short one must not buy a fresh set of free guesses.
    if (wait <= -this.settings.forgetAfterMs) this.failures.delete(key);
    return Math.max(0, wait);
  }

  private count(address: string, freeFailures: number): void {
    const { baseDelayMs, maxDelayMs, maxTrackedAddresses } = this.settings;
    // A failure after the long quiet time starts afresh.
    this.waitOf(address);
    const count = (this.failures.get(address)?.count ?? 0) + 1;
    const over = count - freeFailures;
    const delay = over < 0 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(over, 30));
    // Re-inserting keeps the Map in order of last failure, so the oldest entry is the first key.
    this.failures.delete(address);
    this.failures.set(address, { count, blockedUntil: this.now() + delay });
    if (this.failures.size > maxTrackedAddresses) {
      const oldest = [...this.failures.keys()].find((k) => k !== EVERYONE);
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }
}
