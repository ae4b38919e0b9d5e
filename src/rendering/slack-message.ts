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
