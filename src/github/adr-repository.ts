import { z } from 'zod';
import {
  type AdrCollection,
  assembleCollection,
  newestFirstCut,
  type ReadFile,
} from '../domain/adr-collection';
import {
  type AdrConvention,
  conventionOf,
  newAdrFileName,
  newAdrLabel,
  slugify,
  TEMPLATE_FILES,
} from '../domain/adr-convention';
import { type AdrFile, parseAdrFileName, readAdrFile } from '../domain/adr-file';
import { formatAdrNumber } from '../domain/known-adr';
import { ErrorCode } from '../errors';
import { GitHubWebUrlSchema, type Octokit, parseGitHubResponse } from './github-client';
import { describeRequestFailure, GitHubError, toGitHubError } from './github-error';

export interface OpenedAdrPullRequest {
  number: number;
  url: string;
  path: string;
  /** The ADR as committed, in the folder's convention. */
  markdown: string;
  branch: string;
}

const OptionsSchema = z.object({
  owner: z.string().trim().min(1),
  repo: z.string().trim().min(1),
  adrPath: z
    .string()
    .trim()
    .default('docs/adr')
    .transform((p) => p.replace(/^\/+|\/+$/g, '')),
  /** Only the most recent ADRs are read (a note says how many were not); older ones still count for numbering. */
  maxAdrs: z.number().int().positive().default(200),
  /** Bigger files are listed without their text, so one huge file cannot fill a prompt. */
  maxAdrBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});

export type AdrRepositoryOptions = z.input<typeof OptionsSchema>;

const NewAdrSchema = z.object({
  slug: z.string(),
  /** The ADR, or how to write it once its place in the folder is known (its number, the folder's convention). */
  markdown: z.union([
    z.string().trim().min(1, 'the ADR has no text'),
    z.custom<(target: AdrTarget) => string>((v) => typeof v === 'function'),
  ]),
  /** The day it is saved, YYYY-MM-DD, for date-named folders. @defaultValue today */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  title: z.string().trim().min(1, 'the pull request needs a title'),
  body: z.string().default(''),
});

export type NewAdr = z.input<typeof NewAdrSchema>;

/** Where a new ADR goes: what a renderer needs to write it as the folder's other ADRs are written. */
export interface AdrTarget {
  convention: AdrConvention;
  number: number | undefined;
}

const RepoSchema = z.object({ default_branch: z.string().min(1) });
const EntrySchema = z.object({
  type: z.string(),
  name: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative(),
  // A link that does not look like one is dropped (the ADR is still cited, without a link).
  html_url: GitHubWebUrlSchema.nullish().catch(undefined),
});
const FolderSchema = z.array(EntrySchema);
const FileSchema = z.object({ type: z.literal('file'), content: z.string(), encoding: z.literal('base64') });
const RefSchema = z.object({ object: z.object({ sha: z.string().min(1) }) });
const PullSchema = z.object({ number: z.number().int().positive(), html_url: GitHubWebUrlSchema });
const MatchingRefsSchema = z.array(z.object({ ref: z.string(), object: z.object({ sha: z.string() }) }));

type Entry = z.infer<typeof EntrySchema>;
/** A numbered ADR file in the ADR folder itself: what holds a number. */
type NumberedEntry = Entry & { number: number };

/** One of Architect's ADR branches: `architect/adr-0007-<slug>`, or a bare claim `architect/adr-0007`. */
interface AdrBranch {
  name: string;
  number: number;
  /** undefined for a claim. */
  slug: string | undefined;
}

/** What holds ADR numbers: the files on the default branch and Architect's ADR branches. */
interface NumberHolders {
  files: NumberedEntry[];
  branches: AdrBranch[];
}

const BRANCH_PREFIX = 'architect/adr-';
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** The newest ADRs read to see how the folder writes them. */
const CONVENTION_SAMPLE = 3;
const BRANCH_NAME = /^refs\/heads\/architect\/adr-(\d{4,})(?:-(.+))?$/;
/** Numbers tried before giving up: each one lost means another save took it first, so this stays rare. */
const MAX_CLAIM_ATTEMPTS = 5;

/** Files fetched at once: enough to be quick, few enough to stay clear of GitHub's abuse limits. */
const FETCH_CONCURRENCY = 4;
/** How deep packages' own ADR folders are looked for below the ADR folder. */
const MAX_DEPTH = 3;
const SKIPPED_FOLDERS = new Set(['node_modules', 'templates', 'template', 'assets', 'images', 'img']);

/** Reads the ADRs in a repository's ADR folder and proposes new ones as pull requests. */
export class AdrRepository {
  private readonly options: z.output<typeof OptionsSchema>;

  constructor(
    private readonly octokit: Octokit,
    options: AdrRepositoryOptions,
  ) {
    this.options = OptionsSchema.parse(options);
  }

  get adrPath(): string {
    return this.options.adrPath;
  }

  /**
   * The most recent ADRs (up to maxAdrs), oldest first, of the ADR folder and of packages' folders below
   * it, and the files skipped. A file that cannot be read as an ADR is skipped, never fatal.
   */
  async readAdrs(): Promise<AdrCollection> {
    const branch = await this.defaultBranch();
    const markdown = await this.markdownFiles(branch);
    const notAdrs = markdown.filter((e) => parseAdrFileName(e.relativePath) === undefined);
    const { kept, note } = newestFirstCut(
      markdown.filter((e) => parseAdrFileName(e.relativePath) !== undefined),
      this.options.maxAdrs,
      (e) => parseAdrFileName(e.relativePath),
    );
    const files: ReadFile[] = notAdrs.map((e) => ({
      relativePath: e.relativePath,
      path: e.path,
      reading: readAdrFile(e.relativePath, ''),
    }));
    for (let i = 0; i < kept.length; i += FETCH_CONCURRENCY) {
      const batch = kept.slice(i, i + FETCH_CONCURRENCY);
      files.push(...(await Promise.all(batch.map((entry) => this.readAdr(entry, branch)))));
    }
    return { ...assembleCollection(files), notes: note ? [note] : [] };
  }

  /**
   * The number the next ADR gets, as "0007": one more than the highest held by an ADR file on the
   * default branch or by one of Architect's ADR branches (an ADR still in its pull request).
   */
  async nextNumber(): Promise<string> {
    return formatAdrNumber(
      nextNumberAfter(numbersHeld(await this.numberHolders(await this.defaultBranch()))),
    );
  }

  /**
   * Commits the ADR on a new branch cut from the default branch, named as the folder names its ADRs, and
   * opens a pull request for it. In a numbered folder it takes the next number (see nextNumber) at the
   * folder's width, on a branch `architect/adr-NNNN-<slug>`; in a date- or slug-named folder it is named
   * by the day or its slug, on a branch `architect/new-adr-<name>`. `markdown`, when a function, writes
   * the ADR once its number and the folder's convention (its template, its header) are known. An
   * unmerged Architect branch for the same slug, or an existing branch of the very name, is reported as
   * github_branch_exists rather than worked around: it most likely holds an earlier attempt at the same
   * decision, and a second pull request for it would only need closing.
   */
  async openAdrPullRequest(input: NewAdr): Promise<OpenedAdrPullRequest> {
    const adr = NewAdrSchema.parse(input);
    const base = await this.defaultBranch();
    const slug = slugify(adr.slug) || 'decision';
    const date = adr.date ?? new Date().toISOString().slice(0, 10);
    const repo = this.repoParams();

    const ref = await this.call('read the default branch', () =>
      this.octokit.rest.git.getRef({ ...repo, ref: `heads/${base}` }),
    );
    const baseSha = parseGitHubResponse(RefSchema, ref.data, 'the default branch').object.sha;
    const convention = await this.convention(base);
    let claimed: number | undefined;
    let branch: string;
    if (convention.naming === 'numbered') {
      claimed = await this.claimNumber(base, baseSha, slug);
      branch = `${BRANCH_PREFIX}${formatAdrNumber(claimed)}-${slug}`;
    } else {
      branch = `architect/new-adr-${newAdrFileName(convention, { title: slug, date }).replace(/\.md$/, '')}`;
    }
    const fileName = newAdrFileName(convention, { title: slug, date, number: claimed });
    const label = newAdrLabel(fileName, claimed);
    const path = `${this.options.adrPath ? `${this.options.adrPath}/` : ''}${fileName}`;
    try {
      await this.createBranch(branch, baseSha, label);
    } finally {
      // Released only now that the ADR branch holds the number (or the save failed): see claimNumber.
      if (claimed !== undefined) await this.releaseClaim(claimName(claimed));
    }
    const markdown = (
      typeof adr.markdown === 'function' ? adr.markdown({ convention, number: claimed }) : adr.markdown
    ).trimEnd();
    await this.call('commit the ADR', () =>
      this.octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        branch,
        message: `Add ${label}: ${adr.title}`,
        content: Buffer.from(`${markdown}\n`, 'utf8').toString('base64'),
      }),
    );
    const pull = await this.call('open the pull request', () =>
      this.octokit.rest.pulls.create({ ...repo, title: adr.title, head: branch, base, body: adr.body }),
    );
    const pr = parseGitHubResponse(PullSchema, pull.data, 'the new pull request');
    return { number: pr.number, url: pr.html_url, path, branch, markdown: `${markdown}\n` };
  }

  /**
   * How the ADR folder writes its ADRs: from the names of its files, the newest few of them read for
   * their header and titles, and its template when it has one. Reading them must not stop a save: a
   * file GitHub will not give is left out of the judgement.
   */
  private async convention(branch: string): Promise<AdrConvention> {
    const entries = await this.folder(branch, this.adrPath, true);
    const files = entries.filter((e) => e.type === 'file');
    const named = files.flatMap((e) => {
      const name = parseAdrFileName(e.name);
      return name ? [{ entry: e, name }] : [];
    });
    const { kept } = newestFirstCut(
      named.map((n) => ({ ...n, relativePath: n.entry.name })),
      CONVENTION_SAMPLE,
      (n) => n.name,
    );
    const sampled = new Set(kept.map((k) => k.entry.name));
    const adrs: AdrFile[] = [];
    for (const { entry } of named) {
      const text = sampled.has(entry.name) ? await this.fileText(entry.path, branch) : undefined;
      const reading = readAdrFile(entry.name, text);
      if (reading.kind === 'adr')
        adrs.push(text === undefined ? { ...reading.adr, header: 'none' } : reading.adr);
    }
    let template: string | undefined;
    for (const candidate of TEMPLATE_FILES) {
      const [first] = candidate.split('/');
      if (!entries.some((e) => e.name === first)) continue;
      template = await this.fileText(`${this.adrPath ? `${this.adrPath}/` : ''}${candidate}`, branch);
      if (template !== undefined) break;
    }
    return conventionOf(adrs, template);
  }

  /** A file's text on `branch`; undefined when GitHub does not give it as text. */
  private async fileText(path: string, branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({ ...this.repoParams(), path, ref: branch });
      const file = FileSchema.safeParse(data);
      return file.success ? UTF8.decode(Buffer.from(file.data.content, 'base64')) : undefined;
    } catch (error) {
      if (describeRequestFailure(error).status === 404) return undefined;
      throw this.mapError(error, 'read the ADR folder', true);
    }
  }

  /**
   * Takes the next free number for this save and returns it; the caller releases the claim once its ADR
   * branch exists. Why two saves racing for one number never both keep it:
   *
   * - The claim is a branch named by the number alone, `architect/adr-0007`. GitHub creates a ref
   *   atomically and refuses a name already there (422 "Reference already exists"), so at any moment at
   *   most one save holds the claim on 0007; a save refused it counts again, now seeing that claim, and
   *   takes a higher number.
   * - The holder releases the claim only after its own `architect/adr-0007-<slug>` exists, so from the
   *   claim's creation on, a branch names 0007 until that branch goes; and it only goes once its pull
   *   request is merged (the file on the default branch then holds 0007) or abandoned (freeing 0007).
   * - A save that counted before all of that and claims 0007 after the release does get the claim. But
   *   every save counts again once it holds its claim, so it finds the other save's branch (or merged
   *   file) and yields: it deletes its claim and tries a fresh number. A save that finds nothing else
   *   holding 0007 keeps it, and any later claimant will find this save's claim or branch in turn.
   *
   * Creating the ADR branches themselves and letting the name that sorts first keep the number would
   * not do: when one save creates its branch and checks before the other creates its own, the first
   * sees no rival and keeps the number, while the second sees the first but keeps the number too
   * whenever its name sorts first. Only an atomic create of one shared name excludes the second.
   */
  private async claimNumber(base: string, sha: string, slug: string): Promise<number> {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
      const number = nextNumberAfter(numbersHeld(this.refuseRepeat(await this.numberHolders(base), slug)));
      const claim = claimName(number);
      if (!(await this.createClaim(claim, sha))) continue;
      let kept = false;
      try {
        const holders = this.refuseRepeat(await this.numberHolders(base), slug);
        kept = !numbersHeld(holders, claim).includes(number);
      } finally {
        if (!kept) await this.releaseClaim(claim);
      }
      if (kept) return number;
    }
    throw new GitHubError(
      ErrorCode.GitHubFailed,
      `Architect could not settle on a number for the new ADR in ${this.fullName()}: other ADRs were being ` +
        `saved at the same moment ${MAX_CLAIM_ATTEMPTS} times in a row. Try again in a minute.`,
    );
  }

  /** Creates the claim branch; false when another save holds it already. */
  private async createClaim(claim: string, sha: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.createRef({ ...this.repoParams(), ref: `refs/heads/${claim}`, sha });
      return true;
    } catch (error) {
      if (isReferenceTaken(error)) return false;
      throw this.mapError(error, 'create a branch', true);
    }
  }

  private async createBranch(branch: string, sha: string, label: string): Promise<void> {
    try {
      await this.octokit.rest.git.createRef({ ...this.repoParams(), ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      if (isReferenceTaken(error)) throw this.branchExists(branch, label, error);
      throw this.mapError(error, 'create a branch', true);
    }
  }

  /**
   * Deletes the claim branch, as well as it can. One left behind (GitHub failing just then) holds a number
   * another branch holds too, or wastes one, and shows as a branch a person can delete; failing the save
   * over it would lose the ADR's pull request for no gain.
   */
  private async releaseClaim(claim: string): Promise<void> {
    await this.octokit.rest.git
      .deleteRef({ ...this.repoParams(), ref: `heads/${claim}` })
      .catch(() => undefined);
  }

  /** The holders, unless one is an unmerged branch for this very slug: an earlier attempt at the same ADR. */
  private refuseRepeat(holders: NumberHolders, slug: string): NumberHolders {
    const earlier = holders.branches.find(
      (b) => b.slug === slug && !holders.files.some((file) => file.number === b.number),
    );
    if (earlier) throw this.branchExists(earlier.name, `ADR-${formatAdrNumber(earlier.number)}`);
    return holders;
  }

  /** `refused` is GitHub's 422 when it refused the name; absent when the branch was seen in the listing. */
  private branchExists(branch: string, label: string, refused?: unknown): GitHubError {
    const message =
      `A branch named ${branch} already exists in ${this.fullName()}, so Architect did not open another ` +
      `pull request for ${label}. It is probably left from an earlier attempt: merge or delete ` +
      'that branch on GitHub, then ask again.';
    return refused === undefined
      ? new GitHubError(ErrorCode.GitHubBranchExists, message)
      : new GitHubError(ErrorCode.GitHubBranchExists, message, 422, { cause: refused });
  }

  private async numberHolders(base: string): Promise<NumberHolders> {
    const [files, branches] = await Promise.all([this.adrEntries(base), this.adrBranches()]);
    return { files, branches };
  }

  /** Architect's ADR branches: those of open pull requests, and claims of saves under way. */
  private async adrBranches(): Promise<AdrBranch[]> {
    const { data } = await this.call('list the ADR branches', () =>
      // One answer holds every match: GitHub does not paginate matching refs.
      this.octokit.rest.git.listMatchingRefs({ ...this.repoParams(), ref: `heads/${BRANCH_PREFIX}` }),
    );
    return parseGitHubResponse(MatchingRefsSchema, data, 'the ADR branches').flatMap(({ ref }) => {
      const match = BRANCH_NAME.exec(ref);
      if (!match?.[1]) return [];
      return [{ name: ref.slice('refs/heads/'.length), number: Number(match[1]), slug: match[2] }];
    });
  }

  private async defaultBranch(): Promise<string> {
    try {
      const { data } = await this.octokit.rest.repos.get(this.repoParams());
      return parseGitHubResponse(RepoSchema, data, 'the repository').default_branch;
    } catch (error) {
      throw this.mapError(error, 'read the repository', false);
    }
  }

  /** The numbered ADR files in the ADR folder itself, by number: what holds numbers. */
  private async adrEntries(branch: string): Promise<NumberedEntry[]> {
    return (await this.folder(branch, this.adrPath, true))
      .filter((entry) => entry.type === 'file')
      .flatMap((entry) => {
        const name = parseAdrFileName(entry.name);
        return name?.number !== undefined ? [{ ...entry, number: name.number }] : [];
      })
      .sort((a, b) => a.number - b.number);
  }

  /** One folder's entries; none when it does not exist (the ADR folder may not exist yet). */
  private async folder(branch: string, folder: string, isAdrFolder: boolean): Promise<Entry[]> {
    let data: unknown;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({
        ...this.repoParams(),
        path: folder,
        ref: branch,
      }));
    } catch (error) {
      if (describeRequestFailure(error).status === 404) return [];
      throw this.mapError(error, 'list the ADR folder', true);
    }
    if (!Array.isArray(data)) {
      if (!isAdrFolder) return [];
      throw new GitHubError(
        ErrorCode.GitHubFailed,
        `${this.adrPath} in ${this.fullName()} is a file, not a folder of ADRs. Set the ADR folder to the right path.`,
      );
    }
    return parseGitHubResponse(FolderSchema, data, 'the ADR folder listing');
  }

  /** The Markdown files of the ADR folder and of folders below it, with their path relative to it. */
  private async markdownFiles(
    branch: string,
    folder = this.adrPath,
    depth = 0,
  ): Promise<(Entry & { relativePath: string })[]> {
    const found: (Entry & { relativePath: string })[] = [];
    const entries = [...(await this.folder(branch, folder, depth === 0))].sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      if (entry.type === 'dir') {
        if (
          depth < MAX_DEPTH &&
          !entry.name.startsWith('.') &&
          !SKIPPED_FOLDERS.has(entry.name.toLowerCase())
        ) {
          found.push(...(await this.markdownFiles(branch, entry.path, depth + 1)));
        }
      } else if (entry.type === 'file' && /\.(?:md|markdown)$/i.test(entry.name)) {
        const relativePath = this.adrPath ? entry.path.slice(this.adrPath.length + 1) : entry.path;
        found.push({ ...entry, relativePath });
      }
    }
    return found;
  }

  private async readAdr(entry: Entry & { relativePath: string }, branch: string): Promise<ReadFile> {
    const where = {
      relativePath: entry.relativePath,
      path: entry.path,
      ...(entry.html_url ? { url: entry.html_url } : {}),
    };
    if (entry.size > this.options.maxAdrBytes) {
      return { ...where, unread: true, reading: readAdrFile(entry.relativePath, undefined) };
    }
    try {
      const { data } = await this.octokit.rest.repos.getContent({
        ...this.repoParams(),
        path: entry.path,
        ref: branch,
      });
      const file = FileSchema.safeParse(data);
      if (!file.success) {
        return {
          ...where,
          reading: {
            kind: 'skipped',
            path: entry.relativePath,
            reason: 'GitHub did not return its text',
            looksLikeAdr: true,
          },
        };
      }
      const bytes = Buffer.from(file.data.content, 'base64');
      let text: string;
      try {
        text = UTF8.decode(bytes);
      } catch {
        return {
          ...where,
          reading: {
            kind: 'skipped',
            path: entry.relativePath,
            reason: 'not UTF-8 text',
            looksLikeAdr: true,
          },
        };
      }
      return { ...where, reading: readAdrFile(entry.relativePath, text) };
    } catch (error) {
      // A file gone since the listing is skipped; a failure of GitHub itself fails the whole reading,
      // which the catalog reports, keeping the last good one, and retries.
      if (describeRequestFailure(error).status !== 404) throw this.mapError(error, 'read an ADR', true);
      const reason = 'GitHub no longer has it (404)';
      return { ...where, reading: { kind: 'skipped', path: entry.relativePath, reason, looksLikeAdr: true } };
    }
  }

  /** Runs a call on a repository already known to exist, turning its failure into a GitHubError. */
  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.mapError(error, action, true);
    }
  }

  private mapError(error: unknown, action: string, repoIsKnown: boolean): GitHubError {
    return toGitHubError(error, { owner: this.options.owner, repo: this.options.repo, action, repoIsKnown });
  }

  private repoParams(): { owner: string; repo: string } {
    return { owner: this.options.owner, repo: this.options.repo };
  }

  private fullName(): string {
    return `${this.options.owner}/${this.options.repo}`;
  }
}

/** The numbers held, leaving out the branch named `except` (a save's own claim). */
function numbersHeld(holders: NumberHolders, except?: string): number[] {
  return [
    ...holders.files.map((file) => file.number),
    ...holders.branches.filter((b) => b.name !== except).map((b) => b.number),
  ];
}

function nextNumberAfter(numbers: number[]): number {
  return numbers.reduce((max, n) => Math.max(max, n), 0) + 1;
}

function claimName(number: number): string {
  return `${BRANCH_PREFIX}${formatAdrNumber(number)}`;
}

function isReferenceTaken(error: unknown): boolean {
  const { status, message } = describeRequestFailure(error);
  return status === 422 && message === 'Reference already exists';
}
