import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatAdrNumber } from '../domain/known-adr';
import { parseAdrFileName, parseAdrMarkdown } from '../github/adr-markdown';
import type { Adr } from '../github/adr-repository';

export interface LocalAdrFolderOptions {
  /** Only the most recent ADRs are read. @defaultValue 50 */
  maxAdrs?: number;
  /** Bigger files are listed without their text. @defaultValue 64 KiB */
  maxAdrBytes?: number;
}

/**
 * The ADRs in a folder on this machine (ADR_DIR: a checkout of the repository, a mounted volume), read
 * with the same conventions and bounds as a GitHub repository's. A missing folder holds no ADRs.
 */
export class LocalAdrFolder {
  private readonly maxAdrs: number;
  private readonly maxAdrBytes: number;

  constructor(
    readonly dir: string,
    options: LocalAdrFolderOptions = {},
  ) {
    this.maxAdrs = options.maxAdrs ?? 50;
    this.maxAdrBytes = options.maxAdrBytes ?? 64 * 1024;
  }

  /** The most recent ADRs (up to maxAdrs), oldest first. */
  async listAdrs(): Promise<Adr[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries = names
      .flatMap((name) => {
        const parsed = parseAdrFileName(name);
        return parsed ? [{ name, ...parsed }] : [];
      })
      .sort((a, b) => a.number - b.number)
      .slice(-this.maxAdrs);
    const adrs: Adr[] = [];
    for (const entry of entries) {
      const file = path.join(this.dir, entry.name);
      const info = await stat(file);
      if (!info.isFile()) continue;
      const summary = { number: entry.number, id: formatAdrNumber(entry.number), path: file };
      const fallbackTitle = entry.slug.replace(/[-_]+/g, ' ');
      if (info.size > this.maxAdrBytes) {
        adrs.push({ ...summary, title: fallbackTitle, status: undefined, date: undefined, text: undefined });
        continue;
      }
      const text = await readFile(file, 'utf8');
      const fields = parseAdrMarkdown(text);
      adrs.push({
        ...summary,
        title: fields.title ?? fallbackTitle,
        status: fields.status,
        date: fields.date,
        text,
      });
    }
    return adrs;
  }
}
