import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AdrCatalog, type AdrReading } from '../adr/adr-catalog';
import { LocalAdrFolder } from '../adr/local-adr-folder';
import { type PrecedentSource, TeamDecisions } from '../adr/precedent';
import type { Adr, AdrCollection } from '../domain/adr-collection';
import { CliError } from './cli-error';

/**
 * The team's ADRs for the command line: read from a folder on this machine and given to Claude by the
 * worker's own TeamDecisions, so a review in a terminal or a pull request weighs the same decisions, cites
 * them the same way and has its citations grounded the same way as a review in Slack.
 */

/** Where the ADRs are when nothing names a folder: the repository's own, as a pull_request job checks it out. */
export const DEFAULT_ADR_DIR = 'docs/adr';

/**
 * The ADR folder, as an absolute path: `--adrs`, else ADR_DIR, else `docs/adr` when the working folder
 * has one; none with `--no-adrs`. A folder the person named must be there, since a typo would otherwise
 * review without precedent and say nothing; the default one is only a guess, so its absence is not.
 */
export async function chooseAdrFolder(
  options: { adrs?: string | undefined; 'no-adrs'?: boolean | undefined },
  adrDir: string | undefined,
  cwd: string,
): Promise<string | undefined> {
  if (options['no-adrs']) {
    if (options.adrs !== undefined) throw new CliError('--adrs and --no-adrs cannot go together');
    return undefined;
  }
  const named =
    options.adrs !== undefined
      ? { dir: options.adrs.trim(), by: '--adrs' }
      : adrDir?.trim()
        ? { dir: adrDir.trim(), by: 'ADR_DIR' }
        : undefined;
  if (named) {
    if (!named.dir) throw new CliError('--adrs needs a folder (or use --no-adrs)');
    const dir = path.resolve(cwd, named.dir);
    const problem = await folderProblem(dir);
    if (problem) throw new CliError(`cannot read the ADRs in ${named.dir} (${named.by}): ${problem}`);
    return dir;
  }
  const dir = path.resolve(cwd, DEFAULT_ADR_DIR);
  return (await folderProblem(dir)) === undefined ? dir : undefined;
}

/** Why `dir` is not a folder to read, or undefined when it is one. */
async function folderProblem(dir: string): Promise<string | undefined> {
  try {
    return (await stat(dir)).isDirectory() ? undefined : 'it is a file, not a folder';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such folder';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    throw error;
  }
}

/**
 * The ADRs of `dir` as precedent, read once for the whole run, less the documents under review
 * (`underReview`, paths relative to `cwd`). Those are the design Claude is reviewing, not a decision to
 * hold it to: an ADR is never precedent for itself, and in a pull request the checkout holds the proposed
 * text of every ADR the pull request adds or changes, which the team has not decided yet.
 */
export class LocalTeamDecisions {
  private readonly decisions: TeamDecisions;
  private readonly catalog: AdrCatalog;
  private readonly underReview: Set<string>;
  /** How the prompt names the folder: relative to where the command runs. */
  readonly label: string;
  /** The folder's ADRs left out as under review, known once the folder has been read. */
  private leftOut: Adr[] = [];

  constructor(
    dir: string,
    private readonly cwd: string,
    underReview: readonly string[],
    /** Where a line naming each ADR file that could not be read goes (stderr): the review goes on. */
    warn: (line: string) => void = () => undefined,
  ) {
    this.underReview = new Set(underReview.map((p) => path.resolve(cwd, p)));
    const folder = new LocalAdrFolder(dir);
    const source = {
      readAdrs: async (): Promise<AdrCollection> => {
        const collection = await folder.readAdrs();
        for (const skip of collection.skipped.filter((s) => s.looksLikeAdr)) {
          warn(`skipped ADR ${path.relative(cwd, skip.path) || skip.path}: ${skip.reason}`);
        }
        if (collection.adrs.length === 0)
          warn(`no ADRs read from ${label(dir, cwd)}; reviewing without precedent`);
        this.leftOut = collection.adrs.filter((adr) => this.isUnderReview(adr));
        return { ...collection, adrs: collection.adrs.filter((adr) => !this.isUnderReview(adr)) };
      },
    };
    this.label = label(dir, cwd);
    this.catalog = new AdrCatalog(source, { label: this.label });
    this.decisions = new TeamDecisions(this.catalog, { sourceLabel: this.label });
  }

  /** The folder's ADRs (less those under review), read once per refresh as precedent reads them. */
  read(): Promise<AdrReading> {
    return this.catalog.current();
  }

  /**
   * Precedent for reviewing `design` (a path relative to `cwd`; undefined for standard input). The other
   * documents under review that are ADRs are named in the review's notes, so a reader knows why they
   * were not held against this one.
   */
  forDesign(design: string | undefined): PrecedentSource {
    const self = design === undefined ? undefined : path.resolve(this.cwd, design);
    return {
      forRequest: async (query, tokenBudget) => {
        const precedent = await this.decisions.forRequest(query, tokenBudget);
        const others = this.leftOut.filter((adr) => path.resolve(adr.path) !== self);
        if (!precedent || others.length === 0) return precedent;
        const ids = others.map((adr) => adr.id).join(', ');
        const note = `${ids} ${others.length === 1 ? 'is' : 'are'} under review alongside this document, so not held against it as the team’s decisions`;
        return { ...precedent, notes: [...precedent.notes, note] };
      },
    };
  }

  private isUnderReview(adr: Adr): boolean {
    return this.underReview.has(path.resolve(adr.path));
  }
}

/** How the prompt names the folder: relative to where the command runs, as the person would write it. */
function label(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

/** A warning about the ADRs on stderr, as the CLI's other lines are: `architect: …`. */
export function warnLine(io: { stderr: NodeJS.WritableStream }): (line: string) => void {
  return (line) => io.stderr.write(`architect: ${line}\n`);
}
