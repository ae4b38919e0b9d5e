import type { SharedFileReader } from '../../consultation/files';
import { type FileResult, isRead, toContentBlocks } from '../../consultation/files/file-blocks';
import {
  type FileLimits,
  isMarkup,
  megabytes,
  OVER_CONTEXT_BUDGET,
  type PlannedRead,
  planReads,
  type SlackFile,
  slackFileOrigins,
} from '../../consultation/files/which-files';
import type { ByteHold } from '../../lib/byte-budget';
import { downloadFile } from './download';

/** Why a file was skipped when the process already holds as many file bytes as it may. */
export const BUSY = 'skipped: Architect is reading many files at once right now (ask again in a few minutes)';

/** Downloads run at once. */
const DOWNLOAD_CONCURRENCY = 4;

/**
 * Reads the files shared in a thread for one consultation: chooses them from their metadata within
 * the budget, downloads only those and only as much of each as will be used, and turns them into
 * content blocks. Downloads go only to Slack's own file hosts, with the bot token.
 */
export class ThreadFileReader implements SharedFileReader {
  private readonly origins: readonly string[];

  constructor(
    private readonly opts: {
      token: string;
      /** SLACK_API_URL: its origin also serves files (proxies, the tests' fake). */
      apiUrl: string | undefined;
      limits: FileLimits;
      fetch?: typeof fetch;
    },
    /** One consultation's share of the process's file byte budget; none: no process-wide limit. */
    private readonly hold?: ByteHold,
  ) {
    this.origins = slackFileOrigins(opts.apiUrl);
  }

  /** This reader for one consultation, whose downloads count against `hold` until it is released. */
  holding(hold: ByteHold): ThreadFileReader {
    return new ThreadFileReader(this.opts, hold);
  }

  /**
   * Reads `files` in order, as long as they fit `tokenBudget` and Claude's request size; the rest,
   * and every file that cannot be read, come back with the reason.
   */
  async readAll(files: SlackFile[], tokenBudget: number): Promise<FileResult[]> {
    const plan = planReads(files, tokenBudget, this.opts.limits, this.origins);
    const results = await mapLimited(plan, DOWNLOAD_CONCURRENCY, (p) =>
      'reason' in p ? Promise.resolve(p) : this.fetchPlanned(p),
    );
    // The plan counted each file's fewest tokens; now that they are known, the budget is settled.
    let tokens = 0;
    return results.map((result): FileResult => {
      if (!isRead(result)) return result;
      if (tokens + result.tokens > tokenBudget) return { file: result.file, reason: OVER_CONTEXT_BUDGET };
      tokens += result.tokens;
      return result;
    });
  }

  /** One file on its own: checked, downloaded within the caps, converted; never throws. */
  async read(file: SlackFile): Promise<FileResult> {
    const [planned] = planReads([file], Number.POSITIVE_INFINITY, this.opts.limits, this.origins);
    if (!planned) return { file, reason: 'not planned' };
    return 'reason' in planned ? planned : this.fetchPlanned(planned);
  }

  private async fetchPlanned(planned: PlannedRead): Promise<FileResult> {
    const { file, kind } = planned;
    // The bytes stay held (and grow as base64 in Claude's request) until the consultation ends.
    if (this.hold && !(await this.hold.acquire(planned.keepBytes, this.opts.limits.timeoutMs))) {
      return { file, reason: BUSY };
    }
    const download = await downloadFile(
      planned.url,
      this.opts.token,
      { maxBytes: planned.maxBytes, keepBytes: planned.keepBytes, timeoutMs: this.opts.limits.timeoutMs },
      this.opts.fetch,
    );
    if ('reason' in download) return { file, reason: download.reason };
    if ('tooLarge' in download) return { file, reason: `too large: over ${megabytes(planned.maxBytes)}` };
    if (kind === 'text' && /^text\/html/i.test(download.contentType) && !isMarkup(file)) {
      // Without files:read, Slack answers a file URL with its sign-in page instead of the file.
      return { file, reason: 'Slack sent a web page instead of the file (is the files:read scope granted?)' };
    }
    if (!download.complete && kind !== 'text') {
      // More than Slack declared, or than the room left when it declared nothing.
      return {
        file,
        reason:
          file.size === undefined
            ? `too large for what is left of the files budget (${megabytes(planned.keepBytes)})`
            : `larger than the ${megabytes(file.size)} Slack declared`,
      };
    }
    return toContentBlocks(file, kind, download.bytes, {
      textTokenBudget: this.opts.limits.textTokenBudget,
      ...(download.complete ? {} : { beginningOf: { size: file.size } }),
    });
  }
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
