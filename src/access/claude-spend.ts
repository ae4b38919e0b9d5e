import type Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage } from '../consultation/claude-consultant';
import { sourceTextOf } from '../consultation/grounding';
import { estimateTokens } from '../consultation/token-budget';

/**
 * How a consultation is weighed against a workspace's daily budget, the same for a Slack review (the
 * worker) and an MCP one: an estimate before Claude is called, and every token Claude billed after.
 */

/** What a reply may cost beyond its input: a generous allowance for the review Claude writes. */
const OUTPUT_ALLOWANCE_TOKENS = 4000;

/** The tokens a request to Claude is expected to cost: its system prompt and turns, plus the reply. */
export function estimateConsultTokens(request: {
  system: readonly Anthropic.TextBlockParam[];
  messages: readonly Anthropic.MessageParam[];
}): number {
  return (
    estimateTokens(request.system.map((b) => b.text).join('\n')) +
    estimateTokens(sourceTextOf([...request.messages])) +
    OUTPUT_ALLOWANCE_TOKENS
  );
}

/** Every token Claude billed, of all kinds: what the daily budget counts. */
export function billedTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}
