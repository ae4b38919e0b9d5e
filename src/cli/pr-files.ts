import { minimatch } from 'minimatch';
import { z } from 'zod';
import { type Octokit, parseGitHubResponse } from '../github/github-client';
import { toGitHubError } from '../github/github-error';

/** The design documents a pull request is reviewed for unless the workflow names others. */
export const DEFAULT_REVIEW_PATHS = ['docs/adr/**', 'docs/design/**', '*.design.md'];

const ChangedFilesSchema = z.array(z.object({ filename: z.string().min(1), status: z.string() }));

/**
 * `docs/adr/**, *.design.md` or one pattern a line (a YAML block in the workflow); empty means the
 * defaults. A leading `!` excludes, as in the workflow's own `paths` filter.
 */
export function parsePatterns(raw: string | undefined): string[] {
  const patterns = (raw ?? '')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return patterns.length > 0 ? patterns : DEFAULT_REVIEW_PATHS;
}

/**
 * The paths that match at least one pattern and no `!` pattern. A pattern without a slash matches the
 * file name in any folder (`*.design.md` finds `services/api/orders.design.md`), as in .gitignore.
 */
export function matchingPaths(paths: string[], patterns: string[]): string[] {
  const options = { dot: true, matchBase: true };
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return paths.filter(
    (file) =>
      include.some((p) => minimatch(file, p, options)) && !exclude.some((p) => minimatch(file, p, options)),
  );
}

/** The files a pull request adds or changes (a removed file has nothing left to review), every page. */
export async function changedFiles(
  octokit: Octokit,
  where: { owner: string; repo: string; pullNumber: number },
): Promise<string[]> {
  const { owner, repo, pullNumber } = where;
  let pages: unknown;
  try {
    pages = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: pullNumber,
      per_page: 100,
    });
  } catch (error) {
    throw toGitHubError(error, {
      owner,
      repo,
      action: `list the files of pull request #${pullNumber}`,
      repoIsKnown: false,
    });
  }
  return parseGitHubResponse(ChangedFilesSchema, pages, 'the pull request’s files')
    .filter((f) => f.status !== 'removed')
    .map((f) => f.filename);
}
