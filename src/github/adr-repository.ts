import { z } from 'zod';
import { formatAdrNumber, parseAdrFileName, parseAdrMarkdown, slugify } from './adr-markdown';
import { type Octokit, parseGitHubResponse } from './github-client';
import { describeRequestFailure, GitHubError, toGitHubError } from './github-error';

/** One Architecture Decision Record as it stands on the repository's default branch. */
export interface Adr {
  number: number;
  /** The number as written in file names and titles: "0007". */
  id: string;
  /** From the first `# ` heading; the file name's words when the file has none. */
  title: string;
  status: string | undefined;
  date: string | undefined;
  path: string;
  /** The file on GitHub's web pages, where a person reads it. */
  url?: string | undefined;
  /** The Markdown; undefined when the file is over the size limit and was not downloaded. */
  text: string | undefined;
}

export interface OpenedAdrPullRequest {
  number: number;
  url: string;
  path: string;
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
  /** Only the most recent ADRs are read; older ones still count for numbering. */
  maxAdrs: z.number().int().positive().default(50),
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
  markdown: z.string().trim().min(1, 'the ADR has no text'),
  title: z.string().trim().min(1, 'the pull request needs a title'),
  body: z.string().default(''),
});

export type NewAdr = z.input<typeof NewAdrSchema>;

const RepoSchema = z.object({ default_branch: z.string().min(1) });
const EntrySchema = z.object({
  type: z.string(),
  name: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative(),
  html_url: z.string().nullish(),
});
const FolderSchema = z.array(EntrySchema);
const FileSchema = z.object({ type: z.literal('file'), content: z.string(), encoding: z.literal('base64') });
const RefSchema = z.object({ object: z.object({ sha: z.string().min(1) }) });
const PullSchema = z.object({ number: z.number().int().positive(), html_url: z.string() });

type Entry = z.infer<typeof EntrySchema> & { number: number; slug: string };

/** Files fetched at once: enough to be quick, few enough to stay clear of GitHub's abuse limits. */
const FETCH_CONCURRENCY = 4;

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

  /** The most recent ADRs (up to maxAdrs), oldest first. */
  async listAdrs(): Promise<Adr[]> {
    const branch = await this.defaultBranch();
    const entries = (await this.adrEntries(branch)).slice(-this.options.maxAdrs);
    const adrs: Adr[] = [];
    for (let i = 0; i < entries.length; i += FETCH_CONCURRENCY) {
      const batch = entries.slice(i, i + FETCH_CONCURRENCY);
      adrs.push(...(await Promise.all(batch.map((entry) => this.readAdr(entry, branch)))));
    }
    return adrs;
  }

  /** The number the next ADR gets: the highest on the default branch plus one, as "0007". */
  async nextNumber(): Promise<string> {
    return formatAdrNumber(nextNumberAfter(await this.adrEntries(await this.defaultBranch())));
  }

  /**
   * Commits `markdown` as the next ADR on a new branch `architect/adr-NNNN-<slug>` cut from the default
   * branch, and opens a pull request for it. An existing branch of that name is reported as
   * github_branch_exists rather than worked around: it most likely holds an earlier attempt at the same
   * decision, and a second pull request for it would only need closing.
   */
  async openAdrPullRequest(input: NewAdr): Promise<OpenedAdrPullRequest> {
    const adr = NewAdrSchema.parse(input);
    const base = await this.defaultBranch();
    const number = formatAdrNumber(nextNumberAfter(await this.adrEntries(base)));
    const slug = slugify(adr.slug) || 'decision';
    const path = `${this.options.adrPath}/${number}-${slug}.md`;
    const branch = `architect/adr-${number}-${slug}`;
    const repo = this.repoParams();

    const ref = await this.call('read the default branch', () =>
      this.octokit.rest.git.getRef({ ...repo, ref: `heads/${base}` }),
    );
    const baseSha = parseGitHubResponse(RefSchema, ref.data, 'the default branch').object.sha;
    await this.createBranch(branch, baseSha, number);
    await this.call('commit the ADR', () =>
      this.octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        branch,
        message: `Add ADR-${number}: ${adr.title}`,
        content: Buffer.from(`${adr.markdown.trimEnd()}\n`, 'utf8').toString('base64'),
      }),
    );
    const pull = await this.call('open the pull request', () =>
      this.octokit.rest.pulls.create({ ...repo, title: adr.title, head: branch, base, body: adr.body }),
    );
    const pr = parseGitHubResponse(PullSchema, pull.data, 'the new pull request');
    return { number: pr.number, url: pr.html_url, path, branch };
  }

  private async createBranch(branch: string, sha: string, number: string): Promise<void> {
    try {
      await this.octokit.rest.git.createRef({ ...this.repoParams(), ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      const { status, message } = describeRequestFailure(error);
      if (status === 422 && message === 'Reference already exists') {
        throw new GitHubError(
          'github_branch_exists',
          `A branch named ${branch} already exists in ${this.fullName()}, so Architect did not open another ` +
            `pull request for ADR-${number}. It is probably left from an earlier attempt: merge or delete ` +
            'that branch on GitHub, then ask again.',
          status,
          { cause: error },
        );
      }
      throw this.mapError(error, 'create a branch', true);
    }
  }

  private async defaultBranch(): Promise<string> {
    try {
      const { data } = await this.octokit.rest.repos.get(this.repoParams());
      return parseGitHubResponse(RepoSchema, data, 'the repository').default_branch;
    } catch (error) {
      throw this.mapError(error, 'read the repository', false);
    }
  }

  /** ADR files in the ADR folder, by number; none when the folder does not exist yet. */
  private async adrEntries(branch: string): Promise<Entry[]> {
    let data: unknown;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({
        ...this.repoParams(),
        path: this.adrPath,
        ref: branch,
      }));
    } catch (error) {
      if (describeRequestFailure(error).status === 404) return [];
      throw this.mapError(error, 'list the ADR folder', true);
    }
    if (!Array.isArray(data)) {
      throw new GitHubError(
        'github_failed',
        `${this.adrPath} in ${this.fullName()} is a file, not a folder of ADRs. Set the ADR folder to the right path.`,
      );
    }
    return parseGitHubResponse(FolderSchema, data, 'the ADR folder listing')
      .filter((entry) => entry.type === 'file')
      .flatMap((entry) => {
        const name = parseAdrFileName(entry.name);
        return name ? [{ ...entry, ...name }] : [];
      })
      .sort((a, b) => a.number - b.number);
  }

  private async readAdr(entry: Entry, branch: string): Promise<Adr> {
    const fallbackTitle = entry.slug.replace(/[-_]+/g, ' ');
    const summary = {
      number: entry.number,
      id: formatAdrNumber(entry.number),
      path: entry.path,
      ...(entry.html_url ? { url: entry.html_url } : {}),
    };
    if (entry.size > this.options.maxAdrBytes) {
      return { ...summary, title: fallbackTitle, status: undefined, date: undefined, text: undefined };
    }
    const { data } = await this.call('read an ADR', () =>
      this.octokit.rest.repos.getContent({ ...this.repoParams(), path: entry.path, ref: branch }),
    );
    const file = parseGitHubResponse(FileSchema, data, entry.path);
    const text = Buffer.from(file.content, 'base64').toString('utf8');
    const fields = parseAdrMarkdown(text);
    return {
      ...summary,
      title: fields.title ?? fallbackTitle,
      status: fields.status,
      date: fields.date,
      text,
    };
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

function nextNumberAfter(entries: Entry[]): number {
  return entries.reduce((max, e) => Math.max(max, e.number), 0) + 1;
}
