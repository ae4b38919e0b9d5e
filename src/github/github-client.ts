import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { ErrorCode } from '../errors';
import { GitHubError } from './github-error';

export type { Octokit };

export const GITHUB_API_URL = 'https://api.github.com';
/** Long enough for a slow contents listing, short enough that a Slack user is not left waiting. */
const DEFAULT_TIMEOUT_MS = 15_000;

const ClientOptionsSchema = z.object({
  token: z.string().trim().min(1, 'a GitHub token is required'),
  /** GitHub Enterprise Server's API root, e.g. https://github.example.com/api/v3. */
  apiUrl: z.url().optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export type GitHubClientOptions = z.input<typeof ClientOptionsSchema>;

/** An Octokit for github.com or a GitHub Enterprise server, with every request bounded in time. */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const { token, apiUrl, timeoutMs } = ClientOptionsSchema.parse(options);
  const limit = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Octokit has no timeout of its own; a hung GitHub would otherwise hold the job forever.
  const fetchWithTimeout: typeof fetch = (input, init) => {
    const timeout = AbortSignal.timeout(limit);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
  return new Octokit({
    auth: token,
    baseUrl: (apiUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'architect-slack-bot',
    request: { fetch: fetchWithTimeout },
    // Octokit's own logging would print to the console; callers log what matters with its code instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

/**
 * Checks the fields Architect uses in a GitHub answer. A mismatch means GitHub (or a proxy in front of
 * it) answered something else than its API: say so instead of failing later on an undefined field.
 */
export function parseGitHubResponse<T extends z.ZodType>(schema: T, data: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new GitHubError(
    ErrorCode.GitHubFailed,
    `GitHub answered ${what} with something Architect does not understand (${z.prettifyError(parsed.error).split('\n')[0]}).`,
    undefined,
    { cause: parsed.error },
  );
}

/**
 * A web address GitHub gave (a pull request's, an ADR's `html_url`), as far as it may go into a Slack
 * link: http(s), nothing Slack's `<url|label>` syntax would read as its own (`<`, `>`, `|`), no spaces.
 */
export const GitHubWebUrlSchema = z
  .string()
  .max(2000)
  .refine((raw) => {
    if (/[<>|\s]/.test(raw)) return false;
    try {
      const url = new URL(raw);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
      );
    } catch {
      return false;
    }
  }, 'not a web address');
