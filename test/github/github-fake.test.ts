import { Octokit } from '@octokit/rest';
import { GitHubFake } from '../fakes/github-fake';

/** The fake, driven by the real Octokit: it must answer as GitHub does, errors included. */

let fake: GitHubFake;
let octokit: Octokit;
const o = { owner: 'acme', repo: 'platform' };
/** Octokit logs every failed request to the console; the failures here are the point of the tests. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

beforeEach(async () => {
  fake = await GitHubFake.start();
  octokit = new Octokit({ auth: fake.token, baseUrl: fake.apiUrl, log: quiet });
  fake.seedRepo({
    ...o,
    files: { 'README.md': '# Platform\n', 'docs/adr/0001-record-decisions.md': '# 1. Record decisions\n' },
  });
});

afterEach(() => fake.close());

/** The status and body of a call expected to fail. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (e) {
    const err = e as { status: number; response?: { data: unknown } };
    return { status: err.status, data: err.response?.data };
  }
  throw new Error('the call succeeded');
}

test('a repository answers with its default branch', async () => {
  const { data } = await octokit.rest.repos.get(o);
  expect(data).toMatchObject({ full_name: 'acme/platform', default_branch: 'main', private: true });
});

test('a wrong token gets 401 Bad credentials, and so does a refused one', async () => {
  const stranger = new Octokit({ auth: 'ghp_wrong', baseUrl: fake.apiUrl, log: quiet });
  expect(await failure(stranger.rest.repos.get(o))).toEqual({
    status: 401,
    data: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
  });
  fake.refuseToken();
  expect((await failure(octokit.rest.repos.get(o))).status).toBe(401);
});

test('an unknown repository is 404 Not Found', async () => {
  const answer = await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'nope' }));
  expect(answer).toMatchObject({ status: 404, data: { message: 'Not Found', status: '404' } });
});

test('contents list a folder and return a file as wrapped base64', async () => {
  const folder = await octokit.rest.repos.getContent({ ...o, path: 'docs/adr', ref: 'main' });
  expect(folder.data).toEqual([
    expect.objectContaining({
      type: 'file',
      name: '0001-record-decisions.md',
      path: 'docs/adr/0001-record-decisions.md',
    }),
  ]);
  const root = await octokit.rest.repos.getContent({ ...o, path: '' });
  expect((root.data as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
    ['README.md', 'file'],
    ['docs', 'dir'],
  ]);
  const file = await octokit.rest.repos.getContent({ ...o, path: 'docs/adr/0001-record-decisions.md' });
  const data = file.data as { encoding: string; content: string };
  expect(data.encoding).toBe('base64');
  expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe('# 1. Record decisions\n');
  expect((await failure(octokit.rest.repos.getContent({ ...o, path: 'docs/nothing' }))).status).toBe(404);
});

test('a branch is created from a ref, committed to, and a pull request opened from it', async () => {
  const main = await octokit.rest.git.getRef({ ...o, ref: 'heads/main' });
  await octokit.rest.git.createRef({ ...o, ref: 'refs/heads/topic', sha: main.data.object.sha });
  const clash = await failure(
    octokit.rest.git.createRef({ ...o, ref: 'refs/heads/topic', sha: main.data.object.sha }),
  );
  expect(clash).toMatchObject({ status: 422, data: { message: 'Reference already exists' } });

  const put = await octokit.rest.repos.createOrUpdateFileContents({
    ...o,
    path: 'docs/new.md',
    branch: 'topic',
    message: 'Add a doc',
    content: Buffer.from('hello').toString('base64'),
  });
  expect(put.status).toBe(201);
  expect(fake.fileAt('acme', 'platform', 'topic', 'docs/new.md')).toBe('hello');
  expect(fake.fileAt('acme', 'platform', 'main', 'docs/new.md')).toBeUndefined();

  const again = await failure(
    octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: 'docs/new.md',
      branch: 'topic',
      message: 'x',
      content: '',
    }),
  );
  expect(again).toMatchObject({
    status: 422,
    data: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' },
  });

  const pr = await octokit.rest.pulls.create({ ...o, title: 'Add a doc', head: 'topic', base: 'main' });
  expect(pr.data).toMatchObject({ number: 1, state: 'open', head: { ref: 'topic' }, base: { ref: 'main' } });
  const duplicate = await failure(
    octokit.rest.pulls.create({ ...o, title: 'Again', head: 'topic', base: 'main' }),
  );
  expect(duplicate).toMatchObject({
    status: 422,
    data: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom' }] },
  });
});

test('matching refs list the branches under a prefix, sorted, and none as an empty array', async () => {
  const main = await octokit.rest.git.getRef({ ...o, ref: 'heads/main' });
  for (const name of ['topic/b', 'topic/a', 'topical', 'other']) {
    await octokit.rest.git.createRef({ ...o, ref: `refs/heads/${name}`, sha: main.data.object.sha });
  }
  const { data } = await octokit.rest.git.listMatchingRefs({ ...o, ref: 'heads/topic/' });
  expect(data).toEqual([
    {
      ref: 'refs/heads/topic/a',
      node_id: expect.any(String),
      url: `${fake.apiUrl}/repos/acme/platform/git/refs/heads/topic/a`,
      object: { sha: main.data.object.sha, type: 'commit', url: expect.any(String) },
    },
    expect.objectContaining({ ref: 'refs/heads/topic/b' }),
  ]);
  expect((await octokit.rest.git.listMatchingRefs({ ...o, ref: 'heads/topic' })).data).toHaveLength(3);
  expect((await octokit.rest.git.listMatchingRefs({ ...o, ref: 'heads/nothing-' })).data).toEqual([]);
  expect((await octokit.rest.git.listMatchingRefs({ ...o, ref: 'tags/v' })).data).toEqual([]);
});

test('deleting a branch answers 204, closes its pull request, and a missing ref is 422', async () => {
  const main = await octokit.rest.git.getRef({ ...o, ref: 'heads/main' });
  await octokit.rest.git.createRef({ ...o, ref: 'refs/heads/topic', sha: main.data.object.sha });
  await octokit.rest.repos.createOrUpdateFileContents({
    ...o,
    path: 'docs/new.md',
    branch: 'topic',
    message: 'Add a doc',
    content: Buffer.from('hello').toString('base64'),
  });
  await octokit.rest.pulls.create({ ...o, title: 'Add a doc', head: 'topic', base: 'main' });

  const deleted = await octokit.rest.git.deleteRef({ ...o, ref: 'heads/topic' });
  expect(deleted.status).toBe(204);
  expect(fake.branches('acme', 'platform')).toEqual(['main']);
  expect(fake.pullRequests('acme', 'platform')).toEqual([expect.objectContaining({ state: 'closed' })]);
  expect(await failure(octokit.rest.git.deleteRef({ ...o, ref: 'heads/topic' }))).toEqual({
    status: 422,
    data: {
      message: 'Reference does not exist',
      documentation_url: 'https://docs.github.com/rest/git/refs#delete-a-reference',
      status: '422',
    },
  });
});

test('issue comments paginate with Link headers that Octokit follows', async () => {
  const pr = fake.seedPullRequest('acme', 'platform');
  fake.seedComments(
    'acme',
    'platform',
    pr,
    Array.from({ length: 7 }, (_, i) => ({ body: `comment ${i}`, user: 'someone' })),
  );
  const first = await octokit.rest.issues.listComments({ ...o, issue_number: pr, per_page: 3 });
  expect(first.data).toHaveLength(3);
  expect(first.headers.link).toContain('rel="next"');
  const all = await octokit.paginate(octokit.rest.issues.listComments, {
    ...o,
    issue_number: pr,
    per_page: 3,
  });
  expect(all.map((c) => c.body)).toEqual(Array.from({ length: 7 }, (_, i) => `comment ${i}`));

  const created = await octokit.rest.issues.createComment({ ...o, issue_number: pr, body: 'mine' });
  await octokit.rest.issues.updateComment({ ...o, comment_id: created.data.id, body: 'mine, edited' });
  expect(fake.comments('acme', 'platform', pr).at(-1)).toMatchObject({
    body: 'mine, edited',
    user: fake.login,
  });
  const empty = await failure(octokit.rest.issues.createComment({ ...o, issue_number: pr, body: '' }));
  expect(empty).toMatchObject({ status: 422, data: { errors: [{ field: 'body', code: 'missing_field' }] } });
});
