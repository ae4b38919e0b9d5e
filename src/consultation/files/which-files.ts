import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

/**
 * Which of a thread's files to read, decided from Slack's file metadata alone, before a byte is
 * downloaded: what kind each is, whether it may be fetched, and whether it fits the consultation's
 * budget of tokens and of Claude's request size. A file that does not fit is never downloaded, so a
 * thread of twenty large files costs the worker no more memory than the files it will send.
 */

/** A file attached to a Slack message, as far as the bot needs it. */
export interface SlackFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  /** Bytes, as Slack declares it; the download is capped independently of this. */
  size: number | undefined;
  mode: string | undefined;
  isExternal: boolean;
  fileAccess: string | undefined;
  url: string | undefined;
}

/** Slack's file object is outside input: every field is optional and checked. */
const SlackFileSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  filetype: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  mode: z.string().optional(),
  is_external: z.boolean().optional(),
  file_access: z.string().optional(),
  url_private: z.string().optional(),
  url_private_download: z.string().optional(),
});

/** The files of a message's `files` field that parse; a malformed entry is skipped, not fatal. */
export function parseSlackFiles(raw: unknown): SlackFile[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = SlackFileSchema.safeParse(entry);
    if (!parsed.success) return [];
    const f = parsed.data;
    return [
      {
        id: f.id,
        name: f.name || f.title || f.id,
        mimetype: (f.mimetype ?? '').toLowerCase(),
        filetype: (f.filetype ?? '').toLowerCase(),
        size: f.size,
        mode: f.mode,
        isExternal: f.is_external === true,
        fileAccess: f.file_access,
        url: f.url_private_download ?? f.url_private,
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------------
// What kind of file.

export type FileKind = 'text' | 'pdf' | 'image';

/** Claude's limit for one image (larger ones are rejected, failing the whole request). */
export const CLAUDE_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Claude's request limit is 32 MB; base64 grows binary by a third, so files share at most 20 MB. */
export const CLAUDE_FILES_MAX_BYTES = 20 * 1024 * 1024;
/** Claude reads PDFs of up to 100 pages. */
export const CLAUDE_PDF_MAX_PAGES = 100;
/** Claude scales images to about 1.15 megapixels: at most about 1,600 tokens each. */
export const IMAGE_TOKENS = 1600;
/** Each PDF page costs its text plus an image of the page: up to about 3,000 tokens. */
export const PDF_PAGE_TOKENS = 3000;

const TEXT_MIMETYPES = new Set([
  'application/json',
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/javascript',
  'application/typescript',
  'application/x-sh',
  'application/sql',
  'application/graphql',
]);

/** Slack filetypes of text: Markdown, plain text, data formats, source code, snippets, posts, canvases. */
const TEXT_FILETYPES = new Set(
  [
    'text markdown md json yaml yml toml xml csv tsv ini diff patch html css scss javascript js',
    'typescript ts jsx tsx python py go java kotlin scala ruby rust c cpp csharp objc swift php perl',
    'lua r shell bash powershell sql graphql proto protobuf dockerfile terraform hcl groovy elixir',
    'erlang haskell clojure dart mermaid plantuml puml post space quip canvas',
  ]
    .join(' ')
    .split(' '),
);

export const IMAGE_TYPES: Record<string, Anthropic.Base64ImageSource['media_type']> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** What kind of content a file holds, or why it is not read at all. */
export function classifyFile(file: SlackFile): { kind: FileKind } | { skip: string } {
  if (file.mode === 'tombstone') return { skip: 'deleted' };
  if (file.mode === 'hidden_by_limit') return { skip: 'hidden by the workspace’s plan' };
  if (file.isExternal || file.mode === 'external') return { skip: 'stored outside Slack' };
  // Slack Connect files must be looked up with files.info first; their URL is not the file.
  if (file.fileAccess === 'check_file_info') return { skip: 'shared from another workspace' };
  if (file.mimetype === 'application/pdf' || file.filetype === 'pdf') return { kind: 'pdf' };
  if (Object.values(IMAGE_TYPES).includes(file.mimetype as never) || file.filetype in IMAGE_TYPES) {
    return { kind: 'image' };
  }
  if (
    file.mimetype.startsWith('text/') ||
    TEXT_MIMETYPES.has(file.mimetype) ||
    TEXT_FILETYPES.has(file.filetype) ||
    file.mode === 'snippet'
  ) {
    return { kind: 'text' };
  }
  return { skip: `type ${file.filetype || file.mimetype || 'unknown'} not supported` };
}

/** Canvases and HTML reach Claude as their text, which is a fraction of their markup. */
export const isMarkup = (file: SlackFile): boolean => /html|quip|canvas/.test(file.filetype);

/** The largest file of a kind: the configured cap, and Claude's own limit for images. */
export function maxBytesFor(kind: FileKind, configuredMax: number): number {
  return kind === 'image' ? Math.min(configuredMax, CLAUDE_IMAGE_MAX_BYTES) : configuredMax;
}

/**
 * Bytes of a text file worth downloading for `tokens`. The local estimate counts at least one token
 * per 3.5 bytes of UTF-8 (ASCII), so 4 bytes a token always fills the budget and the rest would be
 * cut anyway; markup is allowed eight times as much, as most of it is tags.
 */
export function textBytesFor(tokens: number, file: SlackFile): number {
  return tokens * 4 * (isMarkup(file) ? 8 : 1) + 16;
}

// ---------------------------------------------------------------------------------------------------
// Where files may come from.

/** The origins files may come from: files.slack.com, and SLACK_API_URL's when set (proxies, tests). */
export function slackFileOrigins(apiUrl: string | undefined): string[] {
  const origins = ['https://files.slack.com'];
  if (apiUrl) origins.push(new URL(apiUrl).origin);
  return origins;
}

/** True only for a plain URL on one of `origins`: scheme, host and port must all match. */
export function isAllowedFileUrl(url: string, origins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.username === '' && parsed.password === '' && origins.includes(parsed.origin);
}

// ---------------------------------------------------------------------------------------------------
// The consultation's budget.

export interface FileLimits {
  /** Largest file read, in bytes (FILE_MAX_BYTES). */
  maxBytes: number;
  /** Tokens one text file may use; longer ones are cut with a note (FILE_TEXT_TOKEN_BUDGET). */
  textTokenBudget: number;
  /** Timeout of one download (FILE_DOWNLOAD_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Files read for one consultation at most: each costs a download and context. */
export const MAX_FILES_PER_CONSULTATION = 20;

/** A file chosen for reading, and how much of it to download. */
export interface PlannedRead {
  file: SlackFile;
  kind: FileKind;
  url: string;
  /** A server declaring more than this (Content-Length) is not read at all. */
  maxBytes: number;
  /**
   * Bytes kept at most: a text file is cut there (its beginning is all the budget has room for);
   * any other file that runs past it is not read.
   */
  keepBytes: number;
}

/** A file Claude will only see listed by name, with the reason. */
export interface UnreadFile {
  file: SlackFile;
  reason: string;
}

/** `10.0 MB`, or `12 kB` for what would show as 0.0 MB. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb < 0.1 ? `${Math.ceil(bytes / 1024)} kB` : `${mb.toFixed(1)} MB`;
}

/** Why a file that fits no more of Claude's request is left out. */
export const OVER_FILES_BUDGET = `over the files budget (${megabytes(CLAUDE_FILES_MAX_BYTES)} a consultation, to fit Claude’s request)`;
export const OVER_CONTEXT_BUDGET = 'over the context budget';

/** The fewest tokens a file of `kind` and `size` can cost: what it must find room for before download. */
function fewestTokens(kind: FileKind, file: SlackFile, textTokenBudget: number): number {
  if (kind === 'image') return IMAGE_TOKENS;
  if (kind === 'pdf') return PDF_PAGE_TOKENS;
  return Math.max(1, Math.min(textTokenBudget, Math.ceil((file.size ?? 0) / 4)));
}

/**
 * Decides, in order and from metadata only, which files to download: each must be readable, fit
 * the consultation's `tokenBudget` by its fewest possible tokens, and, when sent as base64 (PDFs,
 * images), fit Claude's request by its declared size. The downloads that follow are held to what is
 * planned here, so the files of one consultation never take more than CLAUDE_FILES_MAX_BYTES of
 * memory, plus the beginnings of text files.
 */
export function planReads(
  files: SlackFile[],
  tokenBudget: number,
  limits: FileLimits,
  origins: readonly string[],
): (PlannedRead | UnreadFile)[] {
  let tokens = 0;
  let bytes = 0;
  return files.map((file, index): PlannedRead | UnreadFile => {
    if (index >= MAX_FILES_PER_CONSULTATION) {
      return { file, reason: `more than ${MAX_FILES_PER_CONSULTATION} files` };
    }
    const kind = classifyFile(file);
    if ('skip' in kind) return { file, reason: kind.skip };
    const cap = maxBytesFor(kind.kind, limits.maxBytes);
    if (file.size !== undefined && file.size > cap) {
      return { file, reason: `too large: ${megabytes(file.size)}, limit ${megabytes(cap)}` };
    }
    if (!file.url) return { file, reason: 'no download link' };
    if (!isAllowedFileUrl(file.url, origins)) return { file, reason: 'not on Slack’s file host' };

    const cost = fewestTokens(kind.kind, file, limits.textTokenBudget);
    if (tokens + cost > tokenBudget) return { file, reason: OVER_CONTEXT_BUDGET };
    let keepBytes: number;
    if (kind.kind === 'text') {
      // Sent as text, whose size the token budget bounds; only its beginning is downloaded.
      keepBytes = Math.min(cap, textBytesFor(limits.textTokenBudget, file));
    } else {
      // Without a declared size, whatever room is left, up to the cap.
      keepBytes = Math.min(file.size ?? cap, CLAUDE_FILES_MAX_BYTES - bytes);
      if (file.size === undefined ? keepBytes <= 0 : keepBytes < file.size) {
        return { file, reason: OVER_FILES_BUDGET };
      }
      bytes += keepBytes;
    }
    tokens += cost;
    return { file, kind: kind.kind, url: file.url, maxBytes: cap, keepBytes };
  });
}
