import { z } from 'zod';

/** A Slack call budget set by SLACK_RATE_LIMITS: at most `limit` calls in any `windowMs`. */
export interface RateLimitOverride {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** `method=limit/seconds` (or `method=limit`, per minute) pairs, comma-separated; `method=0` turns one off. */
const OVERRIDE = /^([a-z]+(?:\.[a-zA-Z]+)+)=(\d+)(?:\/(\d+))?$/;

/** SLACK_RATE_LIMITS as budgets by method (null: no budget); a malformed entry is a clear configuration error. */
export const RateLimitOverridesSchema = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const tiers: Record<string, RateLimitOverride | null> = {};
    for (const entry of text
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const m = OVERRIDE.exec(entry);
      if (!m?.[1] || !m[2]) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not method=limit or method=limit/seconds (e.g. chat.update=100/60)`,
        });
        return z.NEVER;
      }
      const limit = Number(m[2]);
      const windowMs = m[3] ? Number(m[3]) * 1000 : MINUTE;
      if (windowMs <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${entry}": the window must be at least one second` });
        return z.NEVER;
      }
      tiers[m[1]] = limit === 0 ? null : { limit, windowMs };
    }
    return tiers;
  });
