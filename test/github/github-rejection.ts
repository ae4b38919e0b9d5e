import { GitHubError } from '../../src/github/github-error';

/** The GitHubError a call rejects with; fails the test when it resolves or throws anything else. */
export async function githubRejection(call: Promise<unknown>): Promise<GitHubError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GitHubError)) throw new Error(`expected a GitHubError, got ${String(error)}`);
  return error;
}
