import { AdrRepository } from '../../src/github/adr-repository';
import { createGitHubClient, GitHubWebUrlSchema } from '../../src/github/github-client';
import { GitHubError } from '../../src/github/github-error';
import { GitHubFake } from '../fakes/github-fake';

let fake: GitHubFake;

beforeEach(async () => {
  fake = await GitHubFake.start();
  fake.seedRepo({ owner: 'acme', repo: 'platform', files: { 'docs/adr/0001-a.md': '# A\n' } });
});

afterEach(() => fake.close());

test('a GitHub Enterprise API root with a trailing slash works', async () => {
  const client = createGitHubClient({ token: fake.token, apiUrl: `${fake.apiUrl}/` });
  expect(await new AdrRepository(client, { owner: 'acme', repo: 'platform' }).nextNumber()).toBe('0002');
});

test('a GitHub that never answers fails the call as github_failed instead of hanging the job', async () => {
  const client = createGitHubClient({ token: fake.token, apiUrl: fake.apiUrl, timeoutMs: 200 });
  fake.hangNext();
  const error = await new AdrRepository(client, { owner: 'acme', repo: 'platform' })
    .nextNumber()
    .catch((e) => e);
  expect(error).toBeInstanceOf(GitHubError);
  expect(error).toMatchObject({ code: 'github_failed', status: undefined });
  expect((error as GitHubError).userMessage).toContain('could not reach GitHub');
});

test('an empty token is refused before any request', () => {
  expect(() => createGitHubClient({ token: ' ' })).toThrow(/token is required/);
});

describe('addresses GitHub gives, before they go into a Slack link', () => {
  it('keeps a web address and refuses what would break or hijack the link', () => {
    expect(GitHubWebUrlSchema.safeParse('https://github.com/acme/platform/pull/12').success).toBe(true);
    for (const bad of [
      'https://github.com/acme/pull/12|Approved by security>',
      'javascript:alert(1)',
      'https://evil.example/<!channel>',
      'https://user:pass@github.com/x',
      'https://github.com/a b',
      'not a url',
    ]) {
      expect(GitHubWebUrlSchema.safeParse(bad).success).toBe(false);
    }
  });
});
