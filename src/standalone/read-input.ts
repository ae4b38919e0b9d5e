import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { megabytes } from '../consultation/files/which-files';
import { ErrorCode, isCodedError } from '../errors';
import { CliError } from './cli-error';

/** The design to review as bytes, with the name Claude sees it by. */
export interface DesignInput {
  name: string;
  bytes: Buffer;
}

/** Standard input has no name; Claude sees it as a Markdown document. */
export const STDIN_NAME = 'design.md';

/**
 * Reads `target` (a path relative to `cwd`, or `-` for standard input), at most `maxBytes` of it: a
 * larger design is refused before it is read whole, with the limit that refused it.
 */
export async function readDesign(
  target: string,
  opts: {
    cwd: string;
    maxBytes: number;
    stdin: NodeJS.ReadableStream;
    /**
     * A path from someone else (a pull request's changed files): no symbolic link is followed, and the
     * file must be inside `cwd`, so a link to the runner's own files (an .env, a key) is never read.
     */
    confined?: boolean;
  },
): Promise<DesignInput> {
  if (target === '-') {
    const bytes = await readAtMost(opts.stdin, opts.maxBytes + 1);
    if (bytes.length > opts.maxBytes) throw tooLarge('standard input', opts.maxBytes);
    return { name: STDIN_NAME, bytes };
  }
  const file = path.resolve(opts.cwd, target);
  if (opts.confined) await refuseOutside(target, file, opts.cwd);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NOFOLLOW: a link swapped in after the check above is refused too (ELOOP).
    handle = await open(file, opts.confined ? constants.O_RDONLY | constants.O_NOFOLLOW : 'r');
  } catch (error) {
    throw new CliError(`cannot read ${target}: ${describe(error)}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new CliError(`cannot read ${target}: it is a folder, not a file`);
    if (stat.size > opts.maxBytes) throw tooLarge(target, opts.maxBytes);
    const bytes = await handle.readFile();
    return { name: path.relative(opts.cwd, file) || path.basename(file), bytes };
  } catch (error) {
    if (isCodedError(error, ErrorCode.CliFailed)) throw error;
    throw new CliError(`cannot read ${target}: ${describe(error)}`, { cause: error });
  } finally {
    await handle.close();
  }
}

/** A design handed over as text (an MCP client's `design`), held to the same limit as a file. */
export function designFromText(text: string, maxBytes: number): DesignInput {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > maxBytes) throw tooLarge('the design', maxBytes);
  return { name: STDIN_NAME, bytes };
}

/** A path that is, or goes through, a symbolic link, or that resolves outside `cwd`, is refused. */
async function refuseOutside(target: string, file: string, cwd: string): Promise<void> {
  const [real, root] = await Promise.all([realpath(file).catch(() => undefined), realpath(cwd)]);
  if (real === undefined) throw new CliError(`cannot read ${target}: no such file`);
  if (
    real !== file ||
    path.relative(root, real).startsWith('..') ||
    path.isAbsolute(path.relative(root, real))
  ) {
    throw new CliError(`cannot read ${target}: it is a symbolic link (not followed in a pull request)`);
  }
}

function tooLarge(what: string, maxBytes: number): CliError {
  return new CliError(`${what} is too large: over ${megabytes(maxBytes)} (FILE_MAX_BYTES)`);
}

async function readAtMost(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

function describe(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'ELOOP') return 'it is a symbolic link (not followed in a pull request)';
  return error instanceof Error ? error.message : String(error);
}
