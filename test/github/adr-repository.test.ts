import { AdrRepository } from '../../src/github/adr-repository';
import { createGitHubClient } from '../../src/github/github-client';
import { GitHubFake } from '../fakes/github-fake';
import { githubRejection } from './github-rejection';

let fake: GitHubFake;
const where = { owner: 'acme', repo: 'platform' };

beforeEach(async () => {
  fake = await GitHubFake.start();
});

afterEach(() => fake.close());

function adrs(client = createGitHubClient({ token: fake.token, apiUrl: fake.apiUrl }), adrPath?: string) {
  return new AdrRepository(client, { ...where, ...(adrPath ? { adrPath } : {}) });
}

/** Six ADRs in the shapes teams write them: adr-tools, MADR 2 bullets and MADR 3+ front matter. */
function sixAdrs(): Record<string, string> {
  const files: Record<string, string> = {
    'docs/adr/README.md': '# Decisions\n',
    'docs/adr/template.md': '# Title\n',
    'docs/adr/0001-record-architecture-decisions.md':
      '# 1. Record architecture decisions\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\n## Context\n…\n',
    'docs/adr/0002-use-postgres.md':
      '# Use Postgres\n\n* Status: superseded by ADR-0005\n* Date: 2024-02-03\n',
    'docs/adr/0003-use-transactional-outbox.md':
      '---\nstatus: accepted\ndate: 2024-03-04\n---\n# Use a transactional outbox\n\nBody.\n',
  };
  for (const n of [4, 5, 6])
    files[`docs/adr/000${n}-decision-${n}.md`] = `# Decision ${n}\n\n## Status\n\nProposed\n`;
  return files;
}

test('the next ADR after 0001..0006 is 0007', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  expect(await adrs().nextNumber()).toBe('0007');
});

test('the first ADR is 0001, whether the folder is empty of ADRs or missing', async () => {
  fake.seedRepo({ ...where, files: { 'README.md': '# Platform\n', 'docs/adr/README.md': '# Decisions\n' } });
  expect(await adrs().nextNumber()).toBe('0001');
  expect(await adrs(undefined, 'architecture/decisions').nextNumber()).toBe('0001');
  expect(await adrs().listAdrs()).toEqual([]);
});

test('ADRs are listed with number, title, status, date, path and text', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const list = await adrs().listAdrs();
  expect(list.map((a) => a.id)).toEqual(['0001', '0002', '0003', '0004', '0005', '0006']);
  expect(list[0]).toMatchObject({
    number: 1,
    title: 'Record architecture decisions',
    status: 'Accepted',
    date: '2024-01-02',
    path: 'docs/adr/0001-record-architecture-decisions.md',
  });
  expect(list[1]).toMatchObject({
    title: 'Use Postgres',
    status: 'superseded by ADR-0005',
    date: '2024-02-03',
  });
  expect(list[2]).toMatchObject({
    title: 'Use a transactional outbox',
    status: 'accepted',
    date: '2024-03-04',
  });
  expect(list[2]?.text).toContain('Body.');
});

test('listing is bounded: only the most recent ADRs are read, and oversized files come without text', async () => {
  const files = sixAdrs();
  files['docs/adr/0006-decision-6.md'] = `# Huge\n\n${'x'.repeat(5000)}\n`;
  fake.seedRepo({ ...where, files });
  const client = createGitHubClient({ token: fake.token, apiUrl: fake.apiUrl });
  const list = await new AdrRepository(client, { ...where, maxAdrs: 3, maxAdrBytes: 1000 }).listAdrs();
  expect(list.map((a) => a.id)).toEqual(['0004', '0005', '0006']);
  expect(list[2]).toMatchObject({ title: 'decision 6', text: undefined });
});

test('an ADR pull request puts the file on a new branch from the default branch', async () => {
  fake.seedRepo({ ...where, defaultBranch: 'trunk', files: sixAdrs() });
  const markdown = '# Use an event bus\n\n## Status\n\nProposed\n';
  const opened = await adrs().openAdrPullRequest({
    slug: 'Use an Event Bus!',
    markdown,
    title: 'ADR-0007: Use an event bus',
    body: 'Proposed by Architect from a Slack thread.',
  });

  expect(opened).toEqual({
    number: 1,
    url: 'https://github.com/acme/platform/pull/1',
    path: 'docs/adr/0007-use-an-event-bus.md',
    branch: 'architect/adr-0007-use-an-event-bus',
  });
  expect(fake.fileAt('acme', 'platform', 'architect/adr-0007-use-an-event-bus', opened.path)).toBe(markdown);
  expect(fake.fileAt('acme', 'platform', 'trunk', opened.path)).toBeUndefined();
  expect(fake.pullRequests('acme', 'platform')).toEqual([
    expect.objectContaining({
      title: 'ADR-0007: Use an event bus',
      head: 'architect/adr-0007-use-an-event-bus',
      base: 'trunk',
      body: 'Proposed by Architect from a Slack thread.',
    }),
  ]);
});

test('a refused token is github_unauthorized with a message that names GITHUB_TOKEN', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  fake.refuseToken();
  const error = await githubRejection(adrs().nextNumber());
  expect(error.code).toBe('github_unauthorized');
  expect(error.userMessage).toMatch(/^GitHub refused the token in GITHUB_TOKEN/);
  expect(error.userMessage).not.toContain(fake.token);
});

test('an unknown repository is github_repo_not_found, naming it', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const client = createGitHubClient({ token: fake.token, apiUrl: fake.apiUrl });
  const error = await githubRejection(
    new AdrRepository(client, { owner: 'acme', repo: 'platfrom' }).listAdrs(),
  );
  expect(error.code).toBe('github_repo_not_found');
  expect(error.userMessage).toContain('acme/platfrom');
});

test('a branch of the same name is reported as github_branch_exists and no second pull request opens', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  fake.seedBranch('acme', 'platform', 'architect/adr-0007-use-an-event-bus');
  const error = await githubRejection(
    adrs().openAdrPullRequest({
      slug: 'use-an-event-bus',
      markdown: '# Use an event bus\n',
      title: 'ADR-0007',
    }),
  );
  expect(error.code).toBe('github_branch_exists');
  expect(error.userMessage).toContain('architect/adr-0007-use-an-event-bus');
  expect(fake.pullRequests('acme', 'platform')).toEqual([]);
});

test('a GitHub outage is github_failed with what Architect was doing', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const repository = adrs();
  fake.failNext(502, 'Server Error');
  const error = await githubRejection(repository.nextNumber());
  expect(error).toMatchObject({ code: 'github_failed', status: 502 });
  expect(error.userMessage).toContain('read the repository');
});
