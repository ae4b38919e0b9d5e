import type Anthropic from '@anthropic-ai/sdk';
import { cutText, estimateTokens } from '../token-budget';
import {
  CLAUDE_PDF_MAX_PAGES,
  type FileKind,
  IMAGE_TOKENS,
  PDF_PAGE_TOKENS,
  type SlackFile,
  type UnreadFile,
} from './which-files';

/**
 * Downloaded bytes as Claude should see them: text-like files as text documents with their names,
 * PDFs as document blocks, images as image blocks; or why they cannot be sent.
 */

/** A file Claude will see, with the tokens it is estimated to cost. */
export interface ReadFile {
  file: SlackFile;
  blocks: Anthropic.ContentBlockParam[];
  tokens: number;
  /** Bytes it adds to Claude's request as base64 (0 for text). */
  bytes: number;
}

export type FileResult = ReadFile | UnreadFile;

export const isRead = (r: FileResult): r is ReadFile => 'blocks' in r;

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

const isPdfSpace = (b: number | undefined) =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c || b === 0x0b;
const isLetter = (b: number | undefined) =>
  b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));

/**
 * Page objects of a PDF (`/Type /Page`, not `/Pages`); 0 when they hide in compressed object
 * streams. Scans the bytes in place: a copy of a 10 MB PDF as a string is what this avoids.
 */
export function countPdfPages(bytes: Buffer): number {
  let pages = 0;
  for (let at = bytes.indexOf('/Type'); at !== -1; at = bytes.indexOf('/Type', at + 5)) {
    let i = at + 5;
    while (isPdfSpace(bytes[i])) i++;
    if (bytes.toString('latin1', i, i + 5) === '/Page' && !isLetter(bytes[i + 5])) pages++;
  }
  return pages;
}

/**
 * Text content of a downloaded file, or why it is not text. HTML canvases are reduced to their text.
 * `partial` bytes may end inside a character, which is dropped rather than shown as garbage.
 */
export function decodeText(
  bytes: Buffer,
  file: SlackFile,
  partial = false,
): { text: string } | { skip: string } {
  const raw = new TextDecoder('utf-8').decode(bytes, { stream: partial }).replace(/^\uFEFF/, '');
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

export interface BlockOptions {
  /** Tokens one text file may use (FILE_TEXT_TOKEN_BUDGET). */
  textTokenBudget: number;
  /** Set when `bytes` are only the beginning of the file: its whole size, if Slack declared one. */
  beginningOf?: { size: number | undefined };
}

/** Content blocks for a downloaded file of `kind`, or why it cannot be sent. */
export function toContentBlocks(
  file: SlackFile,
  kind: FileKind,
  bytes: Buffer,
  opts: BlockOptions,
): FileResult {
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
  const decoded = decodeText(bytes, file, opts.beginningOf !== undefined);
  if ('skip' in decoded) return { file, reason: decoded.skip };
  if (!decoded.text.trim()) return { file, reason: 'empty' };
  const text = cutText(decoded.text, opts.textTokenBudget, 'file', wholeTokens(decoded.text, bytes, opts));
  return {
    file,
    bytes: 0,
    tokens: estimateTokens(text),
    blocks: [
      { type: 'document', title: file.name, source: { type: 'text', media_type: 'text/plain', data: text } },
    ],
  };
}

/** The tokens of the whole file, scaled up from its beginning when that is all that was downloaded. */
function wholeTokens(text: string, bytes: Buffer, opts: BlockOptions): number | undefined {
  const size = opts.beginningOf?.size;
  if (size === undefined || bytes.length === 0) return undefined;
  return Math.ceil((estimateTokens(text) * size) / bytes.length);
}
