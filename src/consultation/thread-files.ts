import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { cutText, estimateTokens } from './token-budget';

/**
 * Files shared in a thread, as Claude should see them: text-like files as text documents with their
 * names, PDFs as document blocks, images as image blocks, and everything else listed as not read.
 * Downloads go only to Slack's own file hosts, with the bot token, without following redirects.
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
// What to read.

export type FileKind = 'text' | 'pdf' | 'image';

/** Claude's limit for one image (larger ones are rejected, failing the whole request). */
export const CLAUDE_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Claude's request limit is 32 MB; base64 grows binary by a third, so files share at most 20 MB. */
export const CLAUDE_FILES_MAX_BYTES = 20 * 1024 * 1024;
/** Claude reads PDFs of up to 100 pages. */
export const CLAUDE_PDF_MAX_PAGES = 100;
/** Claude scales images to about 1.15 megapixels: at most about 1,600 tokens each. */
const IMAGE_TOKENS = 1600;
/** Each PDF page costs its text plus an image of the page: up to about 3,000 tokens. */
const PDF_PAGE_TOKENS = 3000;

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

const IMAGE_TYPES: Record<string, Anthropic.Base64ImageSource['media_type']> = {
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

/** The largest download of a kind: the configured cap, and Claude's own limit for images. */
export function maxBytesFor(kind: FileKind, configuredMax: number): number {
  return kind === 'image' ? Math.min(configuredMax, CLAUDE_IMAGE_MAX_BYTES) : configuredMax;
}

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
// Turning downloaded bytes into content blocks.

/** The image format the bytes really are: Claude rejects a block whose declared type is wrong. */
export function sniffImage(bytes: Buffer): Anthropic.Base64ImageSource['media_type'] | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  return undefined;
}

/** Page objects of a PDF; 0 when they hide in compressed object streams. */
export function countPdfPages(bytes: Buffer): number {
  return bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

/** Text content of a downloaded file, or why it is not text. HTML canvases are reduced to their text. */
export function decodeText(bytes: Buffer, file: SlackFile): { text: string } | { skip: string } {
  const raw = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  if (raw.includes('\u0000')) return { skip: 'binary content' };
  const canvas = file.filetype === 'quip' || file.filetype === 'canvas';
  return { text: canvas ? htmlToText(raw) : raw };
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<(br|\/p|\/div|\/h\d|\/li|\/tr)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A file Claude will see, with the tokens it is estimated to cost. */
export interface ReadFile {
  file: SlackFile;
  blocks: Anthropic.ContentBlockParam[];
  tokens: number;
  bytes: number;
}

/** A file Claude will only see listed by name, with the reason. */
export interface UnreadFile {
  file: SlackFile;
  reason: string;
}

export type FileResult = ReadFile | UnreadFile;

export const isRead = (r: FileResult): r is ReadFile => 'blocks' in r;

/** Content blocks for a downloaded file of `kind`, or why it cannot be sent. */
export function toContentBlocks(
  file: SlackFile,
  kind: FileKind,
  bytes: Buffer,
  textTokenBudget: number,
): ReadFile | UnreadFile {
  if (kind === 'image') {
    const mediaType = sniffImage(bytes);
    if (!mediaType) return { file, reason: 'not a PNG, JPEG, GIF or WebP image' };
    return {
      file,
      bytes: bytes.length,
      tokens: IMAGE_TOKENS,
      blocks: [
        { type: 'text', text: `[image: ${file.name}]` },
        { type: 'image', source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') } },
      ],
    };
  }
  if (kind === 'pdf') {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { file, reason: 'not a PDF' };
    const pages = countPdfPages(bytes);
    if (pages > CLAUDE_PDF_MAX_PAGES)
      return { file, reason: `${pages} pages, over Claude’s ${CLAUDE_PDF_MAX_PAGES}` };
    return {
      file,
      bytes: bytes.length,
      // Without a page count, assume a dense page per 50 kB.
      tokens: Math.max(1, pages || Math.ceil(bytes.length / 50_000)) * PDF_PAGE_TOKENS,
      blocks: [
        {
          type: 'document',
          title: file.name,
          source: { type: 'base64', media_type: 'application/pdf', data: bytes.toString('base64') },
        },
      ],
    };
  }
  const decoded = decodeText(bytes, file);
  if ('skip' in decoded) return { file, reason: decoded.skip };
  if (!decoded.text.trim()) return { file, reason: 'empty' };
  const text = cutText(decoded.text, textTokenBudget, 'file');
  return {
    file,
    bytes: 0,
    tokens: estimateTokens(text),
    blocks: [
      { type: 'document', title: file.name, source: { type: 'text', media_type: 'text/plain', data: text } },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Downloading.

export interface FileLimits {
  /** Largest download of one file, in bytes (FILE_MAX_BYTES). */
  maxBytes: number;
  /** Tokens one text file may use; longer ones are cut with a note (FILE_TEXT_TOKEN_BUDGET). */
  textTokenBudget: number;
  /** Timeout of one download (FILE_DOWNLOAD_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Files read for one consultation at most: each costs a download and context. */
export const MAX_FILES_PER_CONSULTATION = 20;
/** Downloads run at once. */
const DOWNLOAD_CONCURRENCY = 4;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Downloads thread files from Slack's file hosts with the bot token, and turns them into content blocks. */
export class ThreadFileReader {
  private readonly origins: readonly string[];

  constructor(
    private readonly opts: {
      token: string;
      /** SLACK_API_URL: its origin also serves files (proxies, the tests' fake). */
      apiUrl: string | undefined;
      limits: FileLimits;
      fetch?: typeof fetch;
    },
  ) {
    this.origins = slackFileOrigins(opts.apiUrl);
  }

  /**
   * Reads `files` in order, as long as they fit `tokenBudget` and Claude's request size; the rest,
   * and every file that cannot be read, come back with the reason.
   */
  async readAll(files: SlackFile[], tokenBudget: number): Promise<FileResult[]> {
    const considered = files.slice(0, MAX_FILES_PER_CONSULTATION);
    const downloaded = await mapLimited(considered, DOWNLOAD_CONCURRENCY, (f) => this.read(f));
    let tokens = 0;
    let bytes = 0;
    const results = downloaded.map((result): FileResult => {
      if (!isRead(result)) return result;
      if (tokens + result.tokens > tokenBudget)
        return { file: result.file, reason: 'over the context budget' };
      if (bytes + result.bytes > CLAUDE_FILES_MAX_BYTES) {
        return { file: result.file, reason: 'over Claude’s request size' };
      }
      tokens += result.tokens;
      bytes += result.bytes;
      return result;
    });
    const skipped = files
      .slice(MAX_FILES_PER_CONSULTATION)
      .map((file) => ({ file, reason: `more than ${MAX_FILES_PER_CONSULTATION} files` }));
    return [...results, ...skipped];
  }

  /** One file: checked, downloaded within the caps, converted; never throws. */
  async read(file: SlackFile): Promise<FileResult> {
    const kind = classifyFile(file);
    if ('skip' in kind) return { file, reason: kind.skip };
    const cap = maxBytesFor(kind.kind, this.opts.limits.maxBytes);
    if (file.size !== undefined && file.size > cap) {
      return { file, reason: `too large: ${megabytes(file.size)}, limit ${megabytes(cap)}` };
    }
    if (!file.url) return { file, reason: 'no download link' };
    if (!isAllowedFileUrl(file.url, this.origins)) return { file, reason: 'not on Slack’s file host' };
    const download = await this.download(file.url, cap);
    if ('reason' in download) return { file, reason: download.reason };
    if (
      kind.kind !== 'text' ||
      !/^text\/html/i.test(download.contentType) ||
      /html|quip|canvas/.test(file.filetype)
    ) {
      return toContentBlocks(file, kind.kind, download.bytes, this.opts.limits.textTokenBudget);
    }
    // Without files:read, Slack answers a file URL with its sign-in page instead of the file.
    return { file, reason: 'Slack sent a web page instead of the file (is the files:read scope granted?)' };
  }

  private async download(
    url: string,
    cap: number,
  ): Promise<{ bytes: Buffer; contentType: string } | { reason: string }> {
    const doFetch = this.opts.fetch ?? fetch;
    const signal = AbortSignal.timeout(this.opts.limits.timeoutMs);
    try {
      const res = await doFetch(url, {
        headers: { authorization: `Bearer ${this.opts.token}` },
        // A redirect could lead anywhere; the bot token goes only to Slack's own hosts.
        redirect: 'manual',
        signal,
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        return { reason: 'redirected elsewhere (not followed)' };
      }
      if (!res.ok) {
        await res.body?.cancel();
        return { reason: `download failed (HTTP ${res.status})` };
      }
      const bytes = await readCapped(res, cap);
      if (!bytes) return { reason: `too large: over ${megabytes(cap)}` };
      return { bytes, contentType: res.headers.get('content-type') ?? '' };
    } catch {
      return { reason: signal.aborted ? 'download timed out' : 'download failed' };
    }
  }
}

/** The body, or undefined as soon as it exceeds `cap` (the rest is never read). */
async function readCapped(res: Response, cap: number): Promise<Buffer | undefined> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel();
    return undefined;
  }
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** `fn` over `items` with at most `limit` running at once, results in input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
