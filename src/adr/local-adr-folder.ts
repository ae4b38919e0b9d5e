import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type AdrCollection,
  assembleCollection,
  newestFirstCut,
  type ReadFile,
} from '../domain/adr-collection';
import {
  type AdrConvention,
  conventionOf,
  type NewAdrPlan,
  planNewAdr,
  TEMPLATE_FILES,
} from '../domain/adr-convention';
import { type AdrFile, parseAdrFileName, readAdrFile } from '../domain/adr-file';
import { errorMessage } from '../lib/error-message';

export interface LocalAdrFolderOptions {
  /** Only the most recent ADRs are read; a note says how many older ones were not. @defaultValue 1000 */
  maxAdrs?: number;
  /** Bigger files are listed without their text. @defaultValue 64 KiB */
  maxAdrBytes?: number;
}

/** How deep packages' own ADR folders are looked for (`packages/billing/docs/adr` is 4 below). */
const MAX_DEPTH = 4;
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'templates',
  'template',
  'assets',
  'images',
  'img',
  'dist',
  'build',
]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The ADRs in a folder on this machine (ADR_DIR, `--adrs`: a checkout of the repository, a mounted
 * volume) and in the ADR folders of packages below it, read with the same conventions as a GitHub
 * repository's. A missing folder holds no ADRs; a file that cannot be read is skipped, never fatal.
 */
export class LocalAdrFolder {
  private readonly maxAdrs: number;
  private readonly maxAdrBytes: number;

  constructor(
    readonly dir: string,
    options: LocalAdrFolderOptions = {},
  ) {
    this.maxAdrs = options.maxAdrs ?? 1000;
    this.maxAdrBytes = options.maxAdrBytes ?? 64 * 1024;
  }

  /** The most recent ADRs (up to maxAdrs), oldest first, and the files skipped. */
  async readAdrs(): Promise<AdrCollection> {
    const markdown = await this.markdownFiles('', 0);
    if (markdown === undefined) return { adrs: [], skipped: [], notes: [] };
    const notAdrs = markdown.filter((rel) => parseAdrFileName(rel) === undefined);
    const { kept, note } = newestFirstCut(
      markdown.filter((rel) => parseAdrFileName(rel) !== undefined).map((relativePath) => ({ relativePath })),
      this.maxAdrs,
      (f) => parseAdrFileName(f.relativePath),
    );
    const files: ReadFile[] = [];
    for (const relativePath of [...notAdrs, ...kept.map((f) => f.relativePath)]) {
      files.push(await this.readOne(relativePath));
    }
    const collection = assembleCollection(files);
    return { ...collection, notes: note ? [note] : [] };
  }

  /**
   * How the folder writes its ADRs, and the numbers they hold: the ADRs of the shallowest folder that has
   * any (the folder itself, or `docs/adr` when ADR_DIR is a repository's root), and its template.
   */
  async convention(): Promise<{ convention: AdrConvention; numbers: number[] }> {
    const all = ((await this.markdownFiles('', 0)) ?? []).filter(
      (rel) => parseAdrFileName(rel) !== undefined,
    );
    const folderOf = (rel: string) => rel.split('/').slice(0, -1).join('/');
    const depth = (rel: string) => rel.split('/').length;
    const home = all.length === 0 ? '' : folderOf([...all].sort((a, b) => depth(a) - depth(b))[0] ?? '');
    const adrs: AdrFile[] = [];
    for (const rel of all.filter((r) => folderOf(r) === home)) {
      const { reading } = await this.readOne(rel);
      if (reading.kind === 'adr') adrs.push(reading.adr);
    }
    let template: string | undefined;
    for (const candidate of TEMPLATE_FILES) {
      const file = path.join(this.dir, ...home.split('/').filter(Boolean), ...candidate.split('/'));
      template = await readFile(file, 'utf8').catch(() => undefined);
      if (template !== undefined) break;
    }
    const numbers = adrs.flatMap((a) => (a.name.number === undefined ? [] : [a.name.number]));
    return { convention: conventionOf(adrs, template), numbers };
  }

  /** Where a new ADR titled `title` goes in this folder, saved on `date` (YYYY-MM-DD). */
  async planNewAdr(title: string, date: string): Promise<NewAdrPlan> {
    const { convention, numbers } = await this.convention();
    return planNewAdr(convention, numbers, { title, date });
  }

  private async readOne(relativePath: string): Promise<ReadFile> {
    const file = path.join(this.dir, ...relativePath.split('/'));
    try {
      const info = await stat(file);
      if (info.size > this.maxAdrBytes) {
        return { relativePath, path: file, unread: true, reading: readAdrFile(relativePath, undefined) };
      }
      const bytes = await readFile(file);
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch {
        const looksLikeAdr = parseAdrFileName(relativePath) !== undefined;
        const reading = {
          kind: 'skipped' as const,
          path: relativePath,
          reason: 'not UTF-8 text',
          looksLikeAdr,
        };
        return { relativePath, path: file, reading };
      }
      return { relativePath, path: file, reading: readAdrFile(relativePath, text) };
    } catch (error) {
      const looksLikeAdr = parseAdrFileName(relativePath) !== undefined;
      const reason = `could not be read (${readProblem(error)})`;
      return {
        relativePath,
        path: file,
        reading: { kind: 'skipped', path: relativePath, reason, looksLikeAdr },
      };
    }
  }

  /** Markdown files below the folder, relative with `/`; undefined when the folder does not exist. */
  private async markdownFiles(relative: string, depth: number): Promise<string[] | undefined> {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(this.dir, ...relative.split('/').filter(Boolean)), {
        withFileTypes: true,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (depth === 0 && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
      if (depth === 0) throw error;
      return [];
    }
    const found: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (
          depth < MAX_DEPTH &&
          !entry.name.startsWith('.') &&
          !SKIPPED_FOLDERS.has(entry.name.toLowerCase())
        ) {
          found.push(...((await this.markdownFiles(rel, depth + 1)) ?? []));
        }
      } else if (/\.(?:md|markdown)$/i.test(entry.name)) {
        found.push(rel);
      }
    }
    return found;
  }
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'a folder';
  return errorMessage(error);
}
