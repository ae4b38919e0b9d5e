import type { KnownBlock } from '@slack/web-api';

/** One chat.postMessage / chat.update payload body: the blocks users see and the plain fallback text. */
export interface SlackMessage {
  /** Fallback shown in notifications and read by screen readers; mrkdwn-escaped, under 4,000 chars. */
  text: string;
  blocks: KnownBlock[];
}

/**
 * The Slack limits the renderers keep to. Mirrors Slack's published Block Kit limits (the test fake
 * checks the same numbers independently), measured in UTF-16 code units like String#length, which is
 * never less than Slack's own character count.
 */
export const RENDER_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextText: 3000,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  /** Slack accepts far more, but notifications and screen readers only need the gist. */
  fallbackText: 3900,
} as const;

/**
 * Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
 * (`msg_blocks_too_long`), however small each block is. Every message is kept under this budget.
 */
export const MESSAGE_TEXT_BUDGET = 11_000;

/** The characters of text a message's blocks carry, as Slack counts them for `msg_blocks_too_long`. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blockTextLength(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text' && typeof v === 'string') n += v.length;
    else n += blockTextLength(v);
  }
  return n;
}
