import type { RateLimitOverride } from '../config/rate-limit-overrides';

/**
 * Slack's rate limits for the methods Architect calls, per method per workspace per app, as Slack
 * documents them: https://docs.slack.dev/apis/web-api/rate-limits (Tier 3 "50+ per minute", Tier 4
 * "100+ per minute", and chat.postMessage's special tier, "1 per second per channel, short bursts >1
 * allowed"). The budget is a sliding window: at most `limit` calls in any `windowMs`.
 *
 * Methods not listed (the streaming methods, assistant.threads.setStatus, views.publish…) go unbudgeted
 * until Slack documents a tier for them; SLACK_RATE_LIMITS can give them one.
 */
export interface RateTier {
  limit: number;
  windowMs: number;
  /** Counted per channel (chat.postMessage), not only per workspace. */
  perChannel?: boolean;
}

const MINUTE = 60_000;
const TIER_3: RateTier = { limit: 50, windowMs: MINUTE };
const TIER_4: RateTier = { limit: 100, windowMs: MINUTE };
/** "About one a second per channel, with short bursts": three in any three seconds. */
const POST_MESSAGE: RateTier = { limit: 3, windowMs: 3000, perChannel: true };

export const SLACK_RATE_TIERS: Readonly<Record<string, RateTier>> = {
  'chat.update': TIER_3,
  'chat.delete': TIER_3,
  'conversations.replies': TIER_3,
  'conversations.history': TIER_3,
  'conversations.info': TIER_3,
  'reactions.add': TIER_3,
  'users.info': TIER_4,
  'chat.postEphemeral': TIER_4,
  'views.open': TIER_4,
  'chat.postMessage': POST_MESSAGE,
};

/** The tiers in force: Slack's table, with overrides (a null override removes a method's budget). */
export function rateTiers(overrides: Record<string, RateLimitOverride | null> = {}): Map<string, RateTier> {
  const tiers = new Map(Object.entries(SLACK_RATE_TIERS));
  for (const [method, tier] of Object.entries(overrides)) {
    // An override changes the numbers; a method counted per channel stays counted per channel.
    if (tier)
      tiers.set(method, { ...tier, ...(SLACK_RATE_TIERS[method]?.perChannel ? { perChannel: true } : {}) });
    else tiers.delete(method);
  }
  return tiers;
}
