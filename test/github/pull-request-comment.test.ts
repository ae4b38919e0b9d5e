import { createGitHubClient, type Octokit } from '../../src/github/github-client';
import {
  COMMENT_LIMIT,
  REVIEW_COMMENT_MARKER,
  upsertPullRequestComment,
} from '../../src/github/pull-request-comment';
import { GitHubFake } from '../fakes/github-fake';
import { githubRejection } from './github-rejection';

let fake: GitHubFake;
let octokit: Octokit;
let pr: number;
const owner = 'acme';
const repo = 'platform';

beforeEach(async () => {
  fake = await GitHubFake.start();
  octokit = createGitHubClient({ token: fake.token, apiUrl: fake.apiUrl });
  fake.seedRepo({ owner, repo });
  pr = fake.seedPullRequest(owner, repo);
});

afterEach(() => fake.close());

const upsert = (body: string, pullNumber = pr) =>
  upsertPullRequestComment(octokit, { owner, repo, pullNumber, marker: REVIEW_COMMENT_MARKER, body });

test('the first review creates a comment, the next one updates it instead of adding another', async () => {
  fake.seedComments(owner, repo, pr, [{ body: 'LGTM', user: 'alice' }]);
  const first = await upsert('Review v1');
  expect(first.created).toBe(true);
  expect(first.url).toBe(`https://github.com/acme/platform/pull/${pr}#issuecomment-${first.id}`);

  const second = await upsert('Review v2');
  expect(second).toEqual({ id: first.id, url: first.url, created: false });
  const comments = fake.comments(owner, repo, pr);
  expect(comments.map((c) => c.body)).toEqual(['LGTM', `${REVIEW_COMMENT_MARKER}\nReview v2`]);
});

test('the existing comment is found on a later page', async () => {
  const others = Array.from({ length: 130 }, (_, i) => ({ body: `note ${i}`, user: 'bob' }));
  fake.seedComments(owner, repo, pr, others);
  fake.seedComments(owner, repo, pr, [{ body: `${REVIEW_COMMENT_MARKER}\nOld review` }]);

  const result = await upsert('New review');

  expect(result.created).toBe(false);
  const ours = fake.comments(owner, repo, pr).filter((c) => c.body.includes(REVIEW_COMMENT_MARKER));
  expect(ours).toEqual([
    expect.objectContaining({ id: result.id, body: `${REVIEW_COMMENT_MARKER}\nNew review` }),
  ]);
  // Page 2 came through the Link header GitHub sends, which names the repository by id.
  expect(fake.requests.some((r) => r.path.startsWith('/repositories/') && r.query.get('page') === '2')).toBe(
    true,
  );
});

test("someone else's comment that merely mentions the marker is left alone", async () => {
  fake.seedComments(owner, repo, pr, [
    { body: `Why does the bot write ${REVIEW_COMMENT_MARKER}?`, user: 'carol' },
  ]);
  const result = await upsert('Review');
  expect(result.created).toBe(true);
  expect(fake.comments(owner, repo, pr)[0]?.body).toBe(`Why does the bot write ${REVIEW_COMMENT_MARKER}?`);
});

test('a review longer than GitHub allows is cut short with a note instead of refused', async () => {
  const result = await upsert('x'.repeat(COMMENT_LIMIT + 10));
  const body = fake.comments(owner, repo, pr).find((c) => c.id === result.id)?.body ?? '';
  expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(body).toMatch(/cut short/);
});

test('a missing pull request and a missing repository are told apart', async () => {
  const noPull = await githubRejection(upsert('Review', 999));
  expect(noPull.code).toBe('github_failed');
  expect(noPull.userMessage).toContain('no pull request #999');

  const noRepo = await githubRejection(
    upsertPullRequestComment(octokit, { owner, repo: 'gone', pullNumber: pr, body: 'Review' }),
  );
  expect(noRepo.code).toBe('github_repo_not_found');
});

test('a refused token is github_unauthorized and nothing is posted', async () => {
  fake.refuseToken();
  expect((await githubRejection(upsert('Review'))).code).toBe('github_unauthorized');
  expect(fake.comments(owner, repo, pr)).toEqual([]);
});
