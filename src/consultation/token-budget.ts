/**
 * Local token arithmetic for fitting a thread into the context budget. Everything here is pure and
 * synchronous: estimating a 1,000-message thread must not cost a network round trip per message.
 */

/** The context budget when none is configured: well under Claude's 200k-token window, leaving room for output. */
export const DEFAULT_CONTEXT_TOKEN_BUDGET = 120_000;

/**
 * ASCII characters per token. English prose averages about 4 and code or JSON nearer 3; 3.5 errs on
 * the side of overestimating, so a thread that fits by this estimate fits for real.
 */
const ASCII_CHARS_PER_TOKEN = 3.5;

/** Tokens a thread message costs beyond its text: the author line and the block around it. */
const MESSAGE_OVERHEAD_TOKENS = 8;

/** Room kept for the omission note, so the root and the newest message always fit beside it. */
const NOTE_RESERVE_TOKENS = 32;

/**
 * A conservative local estimate of the tokens `text` costs: ASCII at 3.5 characters a token, and
 * every other UTF-16 unit as a whole token (CJK text and emoji tokenize about that densely).
 */
export function estimateTokens(text: string): number {
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) nonAscii++;
  return Math.ceil((text.length - nonAscii) / ASCII_CHARS_PER_TOKEN + nonAscii);
}

/** `[41 earlier messages omitted]`: what stands in for the messages a thread lost to the budget. */
export function omissionNote(count: number): string {
  return `[${count} earlier ${count === 1 ? 'message' : 'messages'} omitted]`;
}

/**
 * Cuts `text` so that it and its marked note fit in `maxTokens`, keeping the beginning (where a design
 * document states what it is about). Returns `text` unchanged when it already fits. `wholeTokens`
 * is the length the note states when `text` is itself only the beginning of something longer.
 */
export function cutText(text: string, maxTokens: number, what = 'message', wholeTokens = 0): string {
  const total = estimateTokens(text);
  if (total <= maxTokens) return text;
  const whole = Math.max(total, wholeTokens);
  const note = `\n[${what} cut: about ${whole.toLocaleString('en-US')} tokens long, only its beginning fits the context budget]`;
  const room = Math.max(0, maxTokens - estimateTokens(note));
  // The estimate is linear in characters, so a proportional cut lands close; shrink until it fits.
  let keep = Math.floor((text.length * room) / total);
  let kept = safeSlice(text, keep);
  while (keep > 0 && estimateTokens(kept) > room) {
    keep = Math.floor(keep * 0.9);
    kept = safeSlice(text, keep);
  }
  return `${kept}${note}`;
}

/** The first `n` UTF-16 units, without splitting a surrogate pair. */
function safeSlice(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, n - 1) : text.slice(0, n);
}

export interface FitOptions<T> {
  /** Tokens the whole thread may use. */
  budget: number;
  /** Tokens one item costs besides its text (attached files, say); 0 when absent. */
  extraCost?: (item: T) => number;
  /** Builds the item that stands in for `count` omitted items. */
  note: (count: number) => T;
}

export interface FittedThread<T> {
  items: T[];
  /** How many items were left out (the note stands in for them). */
  omitted: number;
  /** How many items were cut to fit. */
  cut: number;
}

/**
 * Fits a thread (oldest first, its root first) into `budget`. Every item above its share is cut with
 * a marked note: the whole budget for a lone message, half of it otherwise, so the root and the newest
 * message always fit together. When the thread is still over budget, the root and the newest items
 * stay whole and the items between them give way to a single omission note; nothing is dropped silently.
 */
export function fitThread<T extends { text: string }>(items: T[], opts: FitOptions<T>): FittedThread<T> {
  const extra = (item: T) => opts.extraCost?.(item) ?? 0;
  const cost = (item: T) => estimateTokens(item.text) + extra(item) + MESSAGE_OVERHEAD_TOKENS;
  const share = items.length <= 1 ? opts.budget : Math.floor((opts.budget - NOTE_RESERVE_TOKENS) / 2);
  let cut = 0;
  const capped = items.map((item) => {
    if (cost(item) <= share) return item;
    cut++;
    return { ...item, text: cutText(item.text, Math.max(0, share - extra(item) - MESSAGE_OVERHEAD_TOKENS)) };
  });
  const costs = capped.map(cost);
  const total = costs.reduce((sum, c) => sum + c, 0);
  const [root, ...rest] = capped;
  if (root === undefined || total <= opts.budget) return { items: capped, omitted: 0, cut };

  let room = opts.budget - (costs[0] ?? 0) - NOTE_RESERVE_TOKENS;
  let firstKept = capped.length;
  while (firstKept > 1 && (costs[firstKept - 1] ?? 0) <= room) {
    firstKept--;
    room -= costs[firstKept] ?? 0;
  }
  const omitted = firstKept - 1;
  const newest = rest.slice(firstKept - 1);
  return { items: omitted > 0 ? [root, opts.note(omitted), ...newest] : capped, omitted, cut };
}
