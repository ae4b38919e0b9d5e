import { AdrRepository } from '../../src/github/adr-repository';
import { createGitHubClient } from '../../src/github/github-client';
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
