import type Anthropic from '@anthropic-ai/sdk';
import type { KnownAdr } from '../domain/known-adr';
import type { PrecedentSource } from '../domain/precedent';
import type { ConsultationRequest } from '../domain/request';
import { type FileResult, isRead, type SharedFileReader, type SlackFile } from './files';
import {
  buildMessages,
  buildSystemPrompt,
  type NamedThreadMessage,
  type ReplySurface,
  todayIso,
} from './prompt';
import { type CacheTtl, DEFAULT_CACHE_TTL } from './prompt-caching';
import type { ThreadMessage } from './thread-message';
import { estimateTokens, fitThread, omissionNote } from './token-budget';

/**
 * Everything Claude is sent for one consultation, assembled within the context budget: the agent's
 * system prompt, the thread (fitted), the files shared in it, and the request.
 */

export interface ContextSettings {
  /** Tokens the whole request may use (CONTEXT_TOKEN_BUDGET). */
  tokenBudget: number;
  /** Reads shared files (from Slack, or a local design file); without one, files are listed as not read. */
  files: SharedFileReader | undefined;
  /** Lifetime of the cache breakpoints; one hour unless set. */
  cacheTtl?: CacheTtl;
  /** Where the reply is read; a Slack thread unless set. */
  surface?: ReplySurface;
}

export interface PreparedContext {
  system: Anthropic.TextBlockParam[];
  messages: Anthropic.MessageParam[];
  /** Context-line notes for the review: files not read, messages left out or shortened. */
  notes: string[];
  stats: { omitted: number; cut: number; filesRead: number; filesNotRead: number };
}

/** The review tool's JSON schema and the request framing, which the local estimate cannot see. */
const TOOL_AND_FRAMING_TOKENS = 2000;
/** Files may take at most this share of the budget, so the thread itself always keeps room. */
const FILES_SHARE = 0.5;
/** The thread always gets at least this much, even next to an enormous system prompt. */
const MIN_THREAD_TOKENS = 1000;
/** How many unread files the context line names before summarising the rest. */
const MAX_NAMED_UNREAD = 5;

/** Files people shared in the thread (the bot's own messages carry none worth reading). */
export function sharedFiles(thread: ThreadMessage[]): number {
  return thread.reduce((n, m) => n + (m.fromThisBot ? 0 : (m.files?.length ?? 0)), 0);
}

export interface ContextInput {
  agentPrompt: string;
  thread: NamedThreadMessage[];
  request: ConsultationRequest;
  settings: ContextSettings;
}

export interface ContextWithPrecedent extends PreparedContext {
  /** The team's ADRs Claude was shown: a finding citing one of them is grounded by it. */
  adrs: KnownAdr[];
}

/**
 * prepareContext with the team's ADRs from `precedent.source` (none when it is absent) in the request
 * turn, their notes (ADRs not read or cut) after the context's own, and the ADRs Claude was shown, which
 * consultReview grounds citations in. The worker and the command line both build their context here,
 * so a review weighs the team's decisions the same way wherever it is asked for.
 */
export async function prepareContextWithPrecedent(
  input: ContextInput,
  precedent: { source: PrecedentSource | undefined; query: string },
): Promise<ContextWithPrecedent> {
  const found = await precedent.source?.forRequest(precedent.query, input.settings.tokenBudget);
  const context = await prepareContext({
    ...input,
    request: { ...input.request, ...(found?.text ? { teamDecisions: found.text } : {}) },
  });
  return { ...context, notes: [...context.notes, ...(found?.notes ?? [])], adrs: found?.adrs ?? [] };
}

/** Builds the request for Claude from the named thread and the request, within `settings.tokenBudget`. */
export async function prepareContext(input: ContextInput): Promise<PreparedContext> {
  const { thread, request, settings } = input;
  const system = buildSystemPrompt(input.agentPrompt, {
    today: todayIso(),
    cacheTtl: settings.cacheTtl ?? DEFAULT_CACHE_TTL,
    ...(settings.surface ? { surface: settings.surface } : {}),
  });
  const fixed =
    system.reduce((n, b) => n + estimateTokens(b.text), 0) +
    estimateTokens(request.text) +
    estimateTokens(request.teamDecisions ?? '') +
    estimateTokens((request.answers ?? []).map((a) => a.question + a.answer).join('')) +
    TOOL_AND_FRAMING_TOKENS;

  const owned = filesByPreference(thread);
  const fileBudget = Math.floor(settings.tokenBudget * FILES_SHARE);
  const results: FileResult[] = settings.files
    ? await settings.files.readAll(
        owned.map((o) => o.file),
        fileBudget,
      )
    : owned.map((o) => ({ file: o.file, reason: 'file reading is not configured' }));
  const byMessage = attachmentsByMessage(owned, results);

  const fitted = fitThread(
    thread.map((m) => {
      const attached = byMessage.get(m.ts);
      return attached ? { ...m, attachments: attached.blocks } : m;
    }),
    {
      budget: Math.max(MIN_THREAD_TOKENS, settings.tokenBudget - fixed),
      extraCost: (m) => byMessage.get(m.ts)?.tokens ?? 0,
      note: (count) => noteMessage(omissionNote(count)),
    },
  );

  // Files on messages the budget left out reached Claude no more than their messages did.
  const kept = new Set(fitted.items.map((m) => m.ts));
  const unread = owned.flatMap((o, i) => {
    const result = results[i];
    if (!result) return [];
    if (!isRead(result)) return [`${result.file.name} (${result.reason})`];
    return kept.has(o.ts) ? [] : [`${result.file.name} (its message was left out)`];
  });

  return {
    system,
    messages: buildMessages(fitted.items, request, settings.cacheTtl ?? DEFAULT_CACHE_TTL),
    notes: contextNotes(unread, fitted.omitted, fitted.cut),
    stats: {
      omitted: fitted.omitted,
      cut: fitted.cut,
      filesRead: owned.length - unread.length,
      filesNotRead: unread.length,
    },
  };
}

/**
 * Shared files in the order they should claim the budget: the root's first (usually the design
 * itself), then the newest messages' first, as the thread budget keeps those too.
 */
function filesByPreference(thread: NamedThreadMessage[]): { ts: string; file: SlackFile }[] {
  const [root, ...rest] = thread.filter((m) => !m.fromThisBot && !m.note);
  const ordered = root ? [root, ...rest.reverse()] : [];
  return ordered.flatMap((m) => (m.files ?? []).map((file) => ({ ts: m.ts, file })));
}

/** Per message: the blocks that follow its text (files read, "not read" notes) and their tokens. */
function attachmentsByMessage(
  owned: { ts: string; file: SlackFile }[],
  results: FileResult[],
): Map<string, { blocks: Anthropic.ContentBlockParam[]; tokens: number }> {
  const out = new Map<string, { blocks: Anthropic.ContentBlockParam[]; tokens: number }>();
  owned.forEach((o, i) => {
    const result = results[i];
    if (!result) return;
    const entry = out.get(o.ts) ?? { blocks: [], tokens: 0 };
    if (isRead(result)) {
      entry.blocks.push(...result.blocks);
      entry.tokens += result.tokens;
    } else {
      const text = `[not read: ${result.file.name} (${result.reason})]`;
      entry.blocks.push({ type: 'text', text });
      entry.tokens += estimateTokens(text);
    }
    out.set(o.ts, entry);
  });
  return out;
}

function noteMessage(text: string): NamedThreadMessage {
  return {
    ts: 'note',
    threadTs: undefined,
    userId: undefined,
    fromThisBot: false,
    fromOtherBot: false,
    text,
    authorName: '',
    note: true,
  };
}

/** `files not read: a.zip (type zip not supported)`, and what the budget did to the thread. */
export function contextNotes(unread: string[], omitted: number, cut: number): string[] {
  const notes: string[] = [];
  if (unread.length > 0) {
    const named = unread.slice(0, MAX_NAMED_UNREAD).join(', ');
    const more = unread.length > MAX_NAMED_UNREAD ? ` and ${unread.length - MAX_NAMED_UNREAD} more` : '';
    notes.push(`files not read: ${named}${more}`);
  }
  if (omitted > 0) {
    notes.push(
      `${omitted} earlier ${omitted === 1 ? 'message' : 'messages'} left out to fit the context budget`,
    );
  }
  if (cut > 0)
    notes.push(`${cut} long ${cut === 1 ? 'message' : 'messages'} shortened to fit the context budget`);
  return notes;
}
