import path from 'node:path';
import { type FileResult, isRead, sniffImage, toContentBlocks } from './file-blocks';
import {
  classifyFile,
  type FileKind,
  type FileLimits,
  maxBytesFor,
  megabytes,
  OVER_CONTEXT_BUDGET,
  type SlackFile,
} from './which-files';

/**
 * A design file from disk or standard input, turned into the blocks Claude would receive had it been
 * shared in a Slack thread: the same text documents, PDF documents and images, within the same limits.
 */

/** The file as the consultation describes it: `name` is what Claude sees as the document's title. */
export function localFile(name: string, size: number): SlackFile {
  return {
    id: name,
    name,
    mimetype: '',
    filetype: path.extname(name).slice(1).toLowerCase(),
    size,
    mode: undefined,
    isExternal: false,
    fileAccess: undefined,
    url: undefined,
  };
}

/**
 * What the bytes are: a PDF or an image by their own signature (standard input has no name), then by the
 * name's extension, and text otherwise; text that is really binary is refused when it is decoded.
 */
function kindOf(file: SlackFile, bytes: Buffer): FileKind {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (sniffImage(bytes)) return 'image';
  const classified = classifyFile(file);
  return 'kind' in classified ? classified.kind : 'text';
}

/** The blocks for `bytes`, or why they cannot be sent (too large, binary, empty, not really a PDF). */
export function localFileBlocks(
  name: string,
  bytes: Buffer,
  limits: Pick<FileLimits, 'maxBytes' | 'textTokenBudget'>,
): FileResult {
  const file = localFile(name, bytes.length);
  const kind = kindOf(file, bytes);
  const cap = maxBytesFor(kind, limits.maxBytes);
  if (bytes.length > cap) return { file, reason: `too large: over ${megabytes(cap)}` };
  return toContentBlocks(file, kind, bytes, { textTokenBudget: limits.textTokenBudget });
}

/**
 * Hands files already read to the consultation's context, as the Slack reader hands downloaded ones:
 * a file whose tokens do not fit the budget is listed as not read.
 */
export class PreparedFiles {
  private readonly byId: Map<string, FileResult>;

  constructor(results: FileResult[]) {
    this.byId = new Map(results.map((r) => [r.file.id, r]));
  }

  async readAll(files: SlackFile[], tokenBudget: number): Promise<FileResult[]> {
    let tokens = 0;
    return files.map((file): FileResult => {
      const result = this.byId.get(file.id) ?? { file, reason: 'not read' };
      if (!isRead(result)) return result;
      if (tokens + result.tokens > tokenBudget) return { file, reason: OVER_CONTEXT_BUDGET };
      tokens += result.tokens;
      return result;
    });
  }
}
