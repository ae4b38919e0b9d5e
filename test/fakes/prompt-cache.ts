import { createHash } from 'node:crypto';

/**
 * The Messages API's prompt cache, as far as its bill shows it: what a request's `usage` says about
 * cache writes and reads, computed from the blocks marked with `cache_control`. The rules it follows are
 * the documented ones: the prefix is tools, then system, then messages; a breakpoint writes the prefix
 * up to its block for its TTL (5 minutes, or an hour with `ttl: '1h'`); a later request reads the
 * longest prefix still cached at any block boundary up to 20 blocks before one of its own breakpoints,
 * a read refreshing the entry; a prefix shorter than the minimum is not cached; caches are per model.
 * Tokens are estimated the way the rest of the fake estimates them (4 characters a token).
 */

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** The shortest prefix the API caches on the current models (a shorter one is billed as plain input). */
export const MIN_CACHEABLE_TOKENS = 512;
/** How far before a breakpoint the API looks for an earlier cache entry. */
const LOOKBACK_BLOCKS = 20;
/** The API refuses a request with more breakpoints than this. */
export const MAX_BREAKPOINTS = 4;

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
type Ttl = keyof typeof TTL_MS;

interface Block {
  tokens: number;
  /** Hash of the prefix ending with this block. */
  prefix: string;
  ttl?: Ttl;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/** A block as the cache keys it: without its cache_control, which marks the prefix but is not part of it. */
function withoutCacheControl(block: unknown): unknown {
  if (!isRecord(block)) return block;
  const { cache_control: _, ...rest } = block;
  return rest;
}

function ttlOf(block: unknown): Ttl | undefined {
  if (!isRecord(block) || !isRecord(block.cache_control)) return undefined;
  return block.cache_control.ttl === '1h' ? '1h' : '5m';
}

/** The request's prompt as the cache sees it: tools, system blocks, then each message's blocks. */
function promptBlocks(body: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(body.tools)) out.push(...body.tools);
  if (typeof body.system === 'string') out.push({ type: 'text', text: body.system });
  else if (Array.isArray(body.system)) out.push(...body.system);
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (!isRecord(message)) continue;
    const content =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (!Array.isArray(content)) continue;
    // The role is part of what a block means: the same text from the other side is another prompt.
    content.forEach((block, i) => {
      out.push(i === 0 ? { role: message.role, ...(isRecord(block) ? block : { block }) } : block);
    });
  }
  return out;
}

export class FakePromptCache {
  /** Prefix hash → when it expires and the TTL a read renews it for. */
  private readonly entries = new Map<string, { expiresAt: number; ttl: Ttl }>();

  constructor(private readonly now: () => number) {}

  clear(): void {
    this.entries.clear();
  }

  /** Breakpoints in the request; over MAX_BREAKPOINTS the API answers 400. */
  static breakpoints(body: Record<string, unknown>): number {
    return promptBlocks(body).filter((b) => ttlOf(b) !== undefined).length;
  }

  /** The usage the API would bill for this request's prompt, recording the cache writes it makes. */
  usageOf(body: Record<string, unknown>): CacheUsage {
    const blocks = this.blocksOf(body);
    const cumulative: number[] = [];
    blocks.reduce((sum, b, i) => {
      cumulative[i] = sum + b.tokens;
      return cumulative[i] as number;
    }, 0);
    const total = cumulative[cumulative.length - 1] ?? 0;
    const now = this.now();
    const breakpoints = blocks.flatMap((b, i) => (b.ttl ? [i] : []));

    // The longest prefix still cached, looked for behind every breakpoint.
    let hit = -1;
    for (const bp of breakpoints) {
      for (let i = bp; i >= Math.max(0, bp - LOOKBACK_BLOCKS + 1) && i > hit; i--) {
        const entry = this.entries.get((blocks[i] as Block).prefix);
        if (entry && entry.expiresAt > now) {
          hit = i;
          break;
        }
      }
    }
    const read = hit >= 0 ? (cumulative[hit] ?? 0) : 0;
    if (hit >= 0) {
      const entry = this.entries.get((blocks[hit] as Block).prefix);
      if (entry) entry.expiresAt = now + TTL_MS[entry.ttl];
    }

    // Every breakpoint past the hit writes its prefix; each stretch is billed at its breakpoint's TTL.
    const written = { '5m': 0, '1h': 0 };
    let covered = read;
    for (const bp of breakpoints.filter((i) => i > hit)) {
      const block = blocks[bp] as Block;
      const upTo = cumulative[bp] ?? 0;
      if (upTo < MIN_CACHEABLE_TOKENS || !block.ttl) continue;
      this.entries.set(block.prefix, { expiresAt: now + TTL_MS[block.ttl], ttl: block.ttl });
      written[block.ttl] += upTo - covered;
      covered = upTo;
    }
    const creation = written['5m'] + written['1h'];
    return {
      input_tokens: Math.max(1, total - read - creation),
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: written['5m'], ephemeral_1h_input_tokens: written['1h'] },
    };
  }

  private blocksOf(body: Record<string, unknown>): Block[] {
    let hash = createHash('sha256').update(String(body.model)).digest('hex');
    return promptBlocks(body).map((block) => {
      const text = JSON.stringify(withoutCacheControl(block));
      hash = createHash('sha256').update(hash).update(text).digest('hex');
      const ttl = ttlOf(block);
      return { tokens: estimateTokens(text), prefix: hash, ...(ttl ? { ttl } : {}) };
    });
  }
}
