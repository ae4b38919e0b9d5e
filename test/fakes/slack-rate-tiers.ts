/**
 * Slack's per-method rate limits as the fake enforces them when asked (SlackApiFake#enforceRateLimits):
 * per app per workspace per method, and per channel for chat.postMessage, as
 * https://docs.slack.dev/apis/web-api/rate-limits documents them. Past the limit a call is answered
 * HTTP 429 `ratelimited` with Retry-After: the seconds until the window has room again.
 */
export interface FakeTier {
  limit: number;
  windowMs: number;
  perChannel?: boolean;
}

const MINUTE = 60_000;
const TIER_3 = { limit: 50, windowMs: MINUTE };
const TIER_4 = { limit: 100, windowMs: MINUTE };

export const SLACK_TIERS: Record<string, FakeTier> = {
  'chat.update': TIER_3,
  'chat.delete': TIER_3,
  'conversations.replies': TIER_3,
  'conversations.history': TIER_3,
  'conversations.info': TIER_3,
  'reactions.add': TIER_3,
  'users.info': TIER_4,
  'chat.postEphemeral': TIER_4,
  'views.open': TIER_4,
  // "About one a second per channel, with short bursts."
  'chat.postMessage': { limit: 3, windowMs: 3000, perChannel: true },
};

/** Sliding windows of accepted calls, by workspace, method and (where Slack counts so) channel. */
export class SlackRateTiers {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly tiers: Record<string, FakeTier>) {}

  /** Counts the call and answers undefined, or answers the Retry-After (seconds) of a refusal. */
  admit(workspace: string, method: string, channel: unknown, now: number): number | undefined {
    const tier = this.tiers[method];
    if (!tier) return undefined;
    const key = tier.perChannel ? `${workspace}:${method}:${String(channel)}` : `${workspace}:${method}`;
    const window = (this.windows.get(key) ?? []).filter((at) => at > now - tier.windowMs);
    this.windows.set(key, window);
    if (window.length < tier.limit) {
      window.push(now);
      return undefined;
    }
    const oldest = window[0] ?? now;
    return Math.max(1, Math.ceil((oldest + tier.windowMs - now) / 1000));
  }
}
