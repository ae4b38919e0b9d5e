import type { Adr } from '../github/adr-repository';
import { GitHubError } from '../github/github-error';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';

/** Where the team's ADRs are read from: a GitHub repository (AdrRepository) or a local folder. */
export interface AdrSource {
  listAdrs(): Promise<Adr[]>;
}

export interface AdrCatalogOptions {
  /** How long a reading of the ADRs is used before the next request reads them again. @defaultValue 5 min */
  refreshMs?: number;
  /** Injected so tests move time instead of waiting. */
  now?: () => number;
  logger?: Logger;
}

export interface AdrReading {
  adrs: Adr[];
  /** Why the ADRs could not be read (fresh), in words for the review's context line. */
  problem?: string;
}

/**
 * The team's ADRs, read at most once per refresh interval and shared by every consultation of this
 * process: a review must not cost a dozen GitHub calls, and ADRs change on the scale of days. A failed
 * reading keeps the last good one (or none) until the next interval, so GitHub is not hammered either.
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
      reading = { adrs: await this.source.listAdrs() };
    } catch (error) {
      const problem =
        error instanceof GitHubError ? error.userMessage : `reading them failed (${errorMessage(error)})`;
      this.options.logger?.warn(
        { code: error instanceof GitHubError ? error.code : undefined, err: errorMessage(error) },
        'could not read the team’s ADRs; reviews go on without the latest ones',
      );
      reading = { adrs: this.last?.reading.adrs ?? [], problem };
    }
    this.last = { at, reading };
    return reading;
  }
}
