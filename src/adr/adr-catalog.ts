import type { Adr, AdrCollection } from '../domain/adr-collection';
import { GitHubError } from '../github/github-error';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';

/** Where the team's ADRs are read from: a GitHub repository (AdrRepository) or a local folder. */
export interface AdrSource {
  readAdrs(): Promise<AdrCollection>;
}

export interface AdrCatalogOptions {
  /** How long a reading of the ADRs is used before the next request reads them again. @defaultValue 5 min */
  refreshMs?: number;
  /** Injected so tests move time instead of waiting. */
  now?: () => number;
  logger?: Logger;
  /** Names the collection in log lines. */
  label?: string;
}

export interface AdrReading {
  adrs: Adr[];
  /** Why the ADRs could not be read (fresh), in words for the review's context line. */
  problem?: string;
  /** For the review's context line: ADR files skipped, older ADRs not read. */
  notes: string[];
}

/** How many skipped files a review's note names before it only counts them. */
const NAMED_SKIPS = 3;

/**
 * The team's ADRs, read at most once per refresh interval and shared by every consultation of this
 * process: a review must not cost a dozen GitHub calls, and ADRs change on the scale of days. A failed
 * reading keeps the last good one (or none) until the next interval, so GitHub is not hammered either.
 * A file that is not a readable ADR never fails a reading: it is logged by name and left out.
 */
export class AdrCatalog {
  private readonly refreshMs: number;
  private readonly now: () => number;
  private last: { at: number; reading: AdrReading } | undefined;
  private pending: Promise<AdrReading> | undefined;

  constructor(
    private readonly source: AdrSource,
    private readonly options: AdrCatalogOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The ADRs as last read; reads them again when the last reading is older than the interval. */
  async current(): Promise<AdrReading> {
    if (this.last && this.now() - this.last.at < this.refreshMs) return this.last.reading;
    this.pending ??= this.read().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async read(): Promise<AdrReading> {
    const at = this.now();
    let reading: AdrReading;
    try {
      reading = this.logged(await this.source.readAdrs());
    } catch (error) {
      const problem =
        error instanceof GitHubError ? error.userMessage : `reading them failed (${errorMessage(error)})`;
      this.options.logger?.warn(
        { code: error instanceof GitHubError ? error.code : undefined, err: errorMessage(error) },
        'could not read the team’s ADRs; reviews go on without the latest ones',
      );
      reading = { adrs: this.last?.reading.adrs ?? [], problem, notes: this.last?.reading.notes ?? [] };
    }
    this.last = { at, reading };
    return reading;
  }

  /** Logs what was left out of a fresh reading, and makes the notes a review shows about it. */
  private logged(collection: AdrCollection): AdrReading {
    const log = this.options.logger;
    const adrFiles = collection.skipped.filter((s) => s.looksLikeAdr);
    for (const skip of collection.skipped) {
      const fields = { file: skip.path, reason: skip.reason, adrs: this.options.label };
      if (skip.looksLikeAdr) log?.warn(fields, 'ADR file skipped; reviews go on without it');
      else log?.debug(fields, 'file in the ADR folder is not an ADR');
    }
    if (collection.adrs.length === 0) {
      log?.warn(
        { adrs: this.options.label, skipped: collection.skipped.length },
        'no ADRs read from the team’s ADR folder; reviews go on without precedent',
      );
    }
    const notes = [...collection.notes];
    if (adrFiles.length > 0) {
      const named = adrFiles.slice(0, NAMED_SKIPS).map((s) => `${baseName(s.path)} (${s.reason})`);
      const more = adrFiles.length > NAMED_SKIPS ? ` and ${adrFiles.length - NAMED_SKIPS} more` : '';
      notes.push(`ADR files not read: ${named.join(', ')}${more}`);
    }
    return { adrs: collection.adrs, notes };
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
