import { z } from 'zod';
import { ErrorCode } from '../errors';
import { type Octokit, parseGitHubResponse } from './github-client';
import { describeRequestFailure, GitHubError, toGitHubError } from './github-error';

export const REVIEW_COMMENT_MARKER = '<!-- architect-review -->';

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
const TRUNCATION_NOTE = '\n\n_…cut short: a GitHub comment holds at most 65,536 characters._';
/** Pages of 100 comments read at most while looking for ours; a pull request with more is rare. */
const MAX_PAGES = 50;

const InputSchema = z.object({
  owner: z.string().trim().min(1),
  repo: z.string().trim().min(1),
  pullNumber: z.number().int().positive(),
  marker: z
    .string()
    .regex(/^<!--(?:(?!-->)[^\n])*-->$/, 'the marker must be an HTML comment, so it stays hidden')
    .default(REVIEW_COMMENT_MARKER),
  body: z.string().trim().min(1, 'the comment has no text'),
});

export type PullRequestCommentInput = z.input<typeof InputSchema>;

export interface UpsertedComment {
  id: number;
  url: string;
  created: boolean;
}

const CommentSchema = z.object({
  id: z.number().int(),
  html_url: z.string(),
  body: z.string().nullish(),
});
const CommentPageSchema = z.array(CommentSchema);

/**
 * Keeps one Architect comment per pull request: updates the comment that starts with `marker`, looking
 * through every page of comments, or creates it. Only a comment that *starts* with the marker counts,
 * so a person quoting or mentioning the marker further down their own comment is never overwritten.
 */
export async function upsertPullRequestComment(
  octokit: Octokit,
  input: PullRequestCommentInput,
): Promise<UpsertedComment> {
  const { owner, repo, pullNumber, marker, body } = InputSchema.parse(input);
  const text = withinLimit(`${marker}\n${body.split(marker).join('').trim()}`);
  const target = { owner, repo, issue_number: pullNumber };
  const fail = (error: unknown, action: string) =>
    toGitHubError(error, { owner, repo, action, repoIsKnown: true });

  const existing = await findMarkedComment(octokit, { owner, repo, pullNumber, marker });
  try {
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing,
        body: text,
      });
      const comment = parseGitHubResponse(CommentSchema, data, 'the updated comment');
      return { id: comment.id, url: comment.html_url, created: false };
    }
    const { data } = await octokit.rest.issues.createComment({ ...target, body: text });
    const comment = parseGitHubResponse(CommentSchema, data, 'the new comment');
    return { id: comment.id, url: comment.html_url, created: true };
  } catch (error) {
    throw fail(error, `comment on pull request #${pullNumber}`);
  }
}

async function findMarkedComment(
  octokit: Octokit,
  where: { owner: string; repo: string; pullNumber: number; marker: string },
): Promise<number | undefined> {
  const { owner, repo, pullNumber, marker } = where;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  let read = 0;
  try {
    for await (const page of pages) {
      const comments = parseGitHubResponse(CommentPageSchema, page.data, 'the pull request comments');
      const mine = comments.find((c) => c.body?.trimStart().startsWith(marker));
      if (mine) return mine.id;
      if (++read >= MAX_PAGES) return undefined;
    }
    return undefined;
  } catch (error) {
    throw await explainListFailure(octokit, error, where);
  }
}

/**
 * A 404 on the comments means either no such repository or no such pull request; asking for the
 * repository (only on this failure path) tells the user which.
 */
async function explainListFailure(
  octokit: Octokit,
  error: unknown,
  where: { owner: string; repo: string; pullNumber: number },
): Promise<GitHubError> {
  const { owner, repo, pullNumber } = where;
  const action = `read the comments of pull request #${pullNumber}`;
  if (error instanceof GitHubError || describeRequestFailure(error).status !== 404) {
    return toGitHubError(error, { owner, repo, action, repoIsKnown: true });
  }
  try {
    await octokit.rest.repos.get({ owner, repo });
  } catch (repoError) {
    return toGitHubError(repoError, { owner, repo, action: 'read the repository', repoIsKnown: false });
  }
  return new GitHubError(
    ErrorCode.GitHubFailed,
    `There is no pull request #${pullNumber} in ${owner}/${repo} to comment on.`,
    404,
    { cause: error },
  );
}

function withinLimit(text: string): string {
  if (text.length <= COMMENT_LIMIT) return text;
  return text.slice(0, COMMENT_LIMIT - TRUNCATION_NOTE.length) + TRUNCATION_NOTE;
}
