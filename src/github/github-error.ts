import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';

/** Stable codes callers branch on and metrics can count; the texts around them may change. */
export type GitHubErrorCode =
  | typeof ErrorCode.GitHubUnauthorized
  | typeof ErrorCode.GitHubRepoNotFound
  | typeof ErrorCode.GitHubBranchExists
  | typeof ErrorCode.GitHubFailed;

/** A GitHub failure with a plain-language `userMessage` that can be shown in Slack as it is. */
export class GitHubError extends CodedError<GitHubErrorCode> {
  constructor(
    code: GitHubErrorCode,
    readonly userMessage: string,
    /** HTTP status GitHub answered with; undefined when GitHub was never reached. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(code, `${code}: ${userMessage}`, options);
  }
}

/** The parts of Octokit's RequestError that matter here, read without trusting its shape. */
const RequestFailureSchema = z.object({
  status: z.number().int(),
  response: z
    .object({
      data: z.unknown().optional(),
    })
    .optional(),
});

const GitHubErrorBodySchema = z.object({ message: z.string() });

export interface RequestFailure {
  /** undefined when no HTTP answer came back (refused connection, DNS, timeout). */
  status: number | undefined;
  /** GitHub's own `message`, when it sent one. */
  message: string | undefined;
}

/** What an Octokit call that threw tells us: the HTTP status and GitHub's message, if any. */
export function describeRequestFailure(error: unknown): RequestFailure {
  const parsed = RequestFailureSchema.safeParse(error);
  // Octokit reports a network failure as status 500 with no response; that is not GitHub's answer.
  if (!parsed.success || parsed.data.response === undefined) return { status: undefined, message: undefined };
  const body = GitHubErrorBodySchema.safeParse(parsed.data.response.data);
  return { status: parsed.data.status, message: body.success ? body.data.message : undefined };
}

/**
 * Turns a failed Octokit call into a GitHubError. `repoIsKnown` says whether the repository was already
 * seen to exist: only when it was not can a 404 be blamed on the repository itself.
 */
export function toGitHubError(
  error: unknown,
  context: { owner: string; repo: string; action: string; repoIsKnown: boolean },
): GitHubError {
  if (error instanceof GitHubError) return error;
  const full = `${context.owner}/${context.repo}`;
  const { status, message } = describeRequestFailure(error);
  const cause = { cause: error };
  if (status === undefined) {
    return new GitHubError(
      ErrorCode.GitHubFailed,
      `Architect could not reach GitHub to ${context.action} (no answer from the GitHub API). Try again in a few minutes.`,
      undefined,
      cause,
    );
  }
  if (status === 401) {
    return new GitHubError(
      ErrorCode.GitHubUnauthorized,
      'GitHub refused the token in GITHUB_TOKEN (Bad credentials). It may be mistyped, expired or revoked: ' +
        'ask whoever runs Architect to put a valid token there.',
      status,
      cause,
    );
  }
  if (status === 404 && !context.repoIsKnown) {
    return new GitHubError(
      ErrorCode.GitHubRepoNotFound,
      `GitHub has no repository ${full} that the token in GITHUB_TOKEN can see. Check the owner and name, ` +
        'and that the token was granted access to that repository.',
      status,
      cause,
    );
  }
  if (status === 403) {
    return new GitHubError(
      ErrorCode.GitHubFailed,
      `GitHub did not let the token in GITHUB_TOKEN ${context.action} in ${full}` +
        `${message ? ` ("${message}")` : ''}. The token needs write access to contents and pull requests, ` +
        'or GitHub is rate-limiting it.',
      status,
      cause,
    );
  }
  return new GitHubError(
    ErrorCode.GitHubFailed,
    `GitHub could not ${context.action} in ${full}: ${message ?? `HTTP ${status}`}.`,
    status,
    cause,
  );
}
