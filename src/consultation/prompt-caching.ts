import type Anthropic from '@anthropic-ai/sdk';

/**
 * Prompt-caching breakpoints. Claude caches the request prefix up to a block marked with
 * `cache_control`; a later request whose prefix matches block for block (within about 20 blocks of
 * one of its own breakpoints) reads it from the cache at a tenth of the price. Two breakpoints serve
 * a thread's follow-up reviews: one after the system prompt (tools and agent prompt, the same for
 * every request of an agent) and one after the thread, just before the request itself.
 */

/** How long a breakpoint lives (PROMPT_CACHE_TTL): answers to questions often come 10–60 minutes later. */
export type CacheTtl = '5m' | '1h';
export const DEFAULT_CACHE_TTL: CacheTtl = '1h';

/** A breakpoint; the five-minute one is the API's default and is sent without a ttl. */
export function cacheBreakpoint(ttl: CacheTtl = DEFAULT_CACHE_TTL): Anthropic.CacheControlEphemeral {
  return ttl === '5m' ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
}

/** The system prompt with a breakpoint on its last block. */
export function cacheSystemPrompt(
  system: Anthropic.TextBlockParam[],
  ttl?: CacheTtl,
): Anthropic.TextBlockParam[] {
  return system.map((block, i) =>
    i === system.length - 1 ? { ...block, cache_control: cacheBreakpoint(ttl) } : block,
  );
}

/**
 * Marks the thread prefix: the block just before the final request block (the last block of the last
 * turn). Nothing is marked when the request is all there is.
 */
export function cacheThreadPrefix(
  messages: Anthropic.MessageParam[],
  ttl?: CacheTtl,
): Anthropic.MessageParam[] {
  const location = prefixEnd(messages);
  if (!location) return messages;
  const [turnIndex, blockIndex] = location;
  return messages.map((turn, t) => {
    if (t !== turnIndex || turn.role === 'system' || typeof turn.content === 'string') return turn;
    const content = turn.content.map((block, b) =>
      b === blockIndex && cacheable(block) ? { ...block, cache_control: cacheBreakpoint(ttl) } : block,
    );
    return { ...turn, content };
  });
}

/** [turn, block] of the last block before the final one, if there is one. */
function prefixEnd(messages: Anthropic.MessageParam[]): [number, number] | undefined {
  const lastTurn = messages.length - 1;
  const last = messages[lastTurn];
  if (!last || typeof last.content === 'string') return undefined;
  if (last.content.length > 1) return [lastTurn, last.content.length - 2];
  const previous = messages[lastTurn - 1];
  if (!previous || typeof previous.content === 'string' || previous.content.length === 0) return undefined;
  return [lastTurn - 1, previous.content.length - 1];
}

/** Blocks that accept `cache_control` (thinking blocks, for one, do not). */
function cacheable(
  block: Anthropic.ContentBlockParam,
): block is Anthropic.TextBlockParam | Anthropic.ImageBlockParam | Anthropic.DocumentBlockParam {
  return block.type === 'text' || block.type === 'image' || block.type === 'document';
}
