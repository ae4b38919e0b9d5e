/**
 * Claude's list prices, in US dollars per million tokens, per model family: the one place the code
 * keeps them (`npm run bench` prices a review and a follow-up with them).
 *
 * These are the list prices as the team last checked them, on 2026-11-29, for the models the aliases
 * resolve to (src/config/config.ts): Sonnet 5.5, Opus 5.5, Haiku 5.5 and Fable 5.2. They change: update
 * this table from https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing") and the
 * date above. Cache reads are no longer a tenth of input on every model (Sonnet 5.5 and Opus 5.5 read
 * at 0.05×, Fable 5.2 at 0.025×), so each rate is written out rather than derived. Haiku 5.5's rates
 * are those of prompts up to 100,000 tokens; a longer prompt pays five times as much on every token.
 */
export interface ModelPrices {
  input: number;
  output: number;
  /** Writing the prompt cache with the default 5-minute TTL (1.25× input). */
  cacheWrite5m: number;
  /** Writing it with `ttl: '1h'` (2× input). */
  cacheWrite1h: number;
  /** Reading it (a hit or a refresh). */
  cacheRead: number;
}

export type ModelFamily = 'sonnet' | 'opus' | 'haiku' | 'fable';

export const LIST_PRICES_USD_PER_MTOK: Record<ModelFamily, ModelPrices> = {
  sonnet: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.1 },
  opus: { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.2 },
  haiku: { input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01 },
  fable: { input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.2 },
};

/** The tokens one or more requests were billed for, split the way the prices are. */
export interface BilledTokens {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** The family of a model id (`claude-sonnet-5-5` → sonnet); undefined for a model not in the table. */
export function modelFamily(model: string): ModelFamily | undefined {
  const match = /(?:^|[-.])(sonnet|opus|haiku|fable)(?:[-.]|$)/.exec(model.toLowerCase());
  return match?.[1] as ModelFamily | undefined;
}

/** What `tokens` cost on `model` at list prices, in dollars; undefined when the model has no price here. */
export function costUsd(model: string, tokens: BilledTokens): number | undefined {
  const family = modelFamily(model);
  if (!family) return undefined;
  const p = LIST_PRICES_USD_PER_MTOK[family];
  const micro =
    tokens.input * p.input +
    tokens.output * p.output +
    tokens.cacheWrite5m * p.cacheWrite5m +
    tokens.cacheWrite1h * p.cacheWrite1h +
    tokens.cacheRead * p.cacheRead;
  return micro / 1_000_000;
}
