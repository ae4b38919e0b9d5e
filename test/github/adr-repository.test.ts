import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AdrRepository, type AdrTarget } from '../../src/github/adr-repository';
import { createGitHubClient } from '../../src/github/github-client';
import { GitHubFake, type IncomingGitHubRequest } from '../fakes/github-fake';
import { ROOT } from '../helpers/architect-harness';
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
  expect((await adrs().readAdrs()).adrs).toEqual([]);
});

test('ADRs are listed with number, title, status, date, path and text', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const list = (await adrs().readAdrs()).adrs;
  expect(list.map((a) => a.id)).toEqual([
    'ADR-0001',
    'ADR-0002',
    'ADR-0003',
    'ADR-0004',
    'ADR-0005',
    'ADR-0006',
  ]);
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
  const read = await new AdrRepository(client, { ...where, maxAdrs: 3, maxAdrBytes: 1000 }).readAdrs();
  expect(read.adrs.map((a) => a.id)).toEqual(['ADR-0004', 'ADR-0005', 'ADR-0006']);
  expect(read.adrs[2]).toMatchObject({ title: 'decision 6', text: undefined });
  expect(read.notes).toEqual(['3 older ADR files not read (over the limit of 3)']);
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
    markdown,
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
    new AdrRepository(client, { owner: 'acme', repo: 'platfrom' }).readAdrs(),
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

/** A save of the decision `title`, as "Save as ADR" makes it. */
function save(title: string, repository = adrs()) {
  return repository.openAdrPullRequest({ slug: title, markdown: `# ${title}\n`, title: `ADR: ${title}` });
}

/** The repository's branches, sorted. */
const branchesNow = (): string[] => fake.branches('acme', 'platform').sort();

/** Whether a request creates the bare `architect/adr-NNNN` branch a save claims its number with. */
const isClaim = (request: IncomingGitHubRequest): boolean =>
  request.method === 'POST' && /^refs\/heads\/architect\/adr-\d{4}$/.test(String(request.body.ref));

/** Another client creates a branch the moment before the request that `matches` is answered. */
function branchAppearsBefore(matches: (request: IncomingGitHubRequest) => boolean, branch: string): void {
  fake.interceptNext(matches, () => fake.seedBranch('acme', 'platform', branch));
}

test('an ADR still in an open Architect pull request holds its number: the next save gets 0008', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  fake.seedBranch('acme', 'platform', 'architect/adr-0007-use-an-event-bus');

  expect(await adrs().nextNumber()).toBe('0008');
  const opened = await save('Use gRPC between services');
  expect(opened.path).toBe('docs/adr/0008-use-grpc-between-services.md');
  expect(branchesNow()).toEqual(['architect/adr-0007-use-an-event-bus', opened.branch, 'main']);
});

test('two saves at the same moment open two pull requests numbered 0007 and 0008, and leave no other branch', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const opened = await Promise.all([save('Use an event bus'), save('Use gRPC between services')]);

  expect(opened.map((o) => o.path.slice('docs/adr/'.length, 'docs/adr/0007'.length)).sort()).toEqual([
    '0007',
    '0008',
  ]);
  expect(
    fake
      .pullRequests('acme', 'platform')
      .map((p) => p.head)
      .sort(),
  ).toEqual(opened.map((o) => o.branch).sort());
  expect(branchesNow()).toEqual(['main', ...opened.map((o) => o.branch)].sort());
  for (const o of opened) expect(fake.fileAt('acme', 'platform', o.branch, o.path)).toBeDefined();
});

test('a number another save claimed a moment earlier is left to it: this save takes the next', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  branchAppearsBefore(isClaim, 'architect/adr-0007');
  expect((await save('Use an event bus')).branch).toBe('architect/adr-0008-use-an-event-bus');
});

test('a save whose number another save took and released meanwhile yields it and takes the next', async () => {
  // The other save claimed 0007, created its ADR branch and released the claim, all between this save
  // counting and claiming: the claim succeeds, and only the count after it finds the other branch.
  fake.seedRepo({ ...where, files: sixAdrs() });
  const other = 'architect/adr-0007-use-grpc-between-services';
  branchAppearsBefore(isClaim, other);
  const opened = await save('Use an event bus');
  expect(opened.branch).toBe('architect/adr-0008-use-an-event-bus');
  expect(branchesNow()).toEqual([other, opened.branch, 'main']);
});

test('a branch of the very name appearing mid-save is github_branch_exists, and the claim is released', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const branch = 'architect/adr-0007-use-an-event-bus';
  branchAppearsBefore((r) => r.method === 'POST' && r.body.ref === `refs/heads/${branch}`, branch);
  const error = await githubRejection(save('Use an event bus'));
  expect(error).toMatchObject({ code: 'github_branch_exists', status: 422 });
  expect(error.userMessage).toContain(branch);
  expect(branchesNow()).toEqual([branch, 'main']);
  expect(fake.pullRequests('acme', 'platform')).toEqual([]);
});

test('a merged ADR whose branch was kept does not stop a new save of the same title', async () => {
  const files = sixAdrs();
  files['docs/adr/0007-use-an-event-bus.md'] = '# Use an event bus\n';
  fake.seedRepo({ ...where, files });
  fake.seedBranch('acme', 'platform', 'architect/adr-0007-use-an-event-bus');
  expect((await save('Use an event bus')).branch).toBe('architect/adr-0008-use-an-event-bus');
});

test('five numbers in a row taken by other saves is a plain github_failed, with nothing left behind', async () => {
  fake.seedRepo({ ...where, files: sixAdrs() });
  const taken: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    fake.interceptNext(isClaim, (request) => {
      const name = String(request.body.ref).slice('refs/heads/'.length);
      taken.push(name);
      fake.seedBranch('acme', 'platform', name);
    });
  }
  const error = await githubRejection(save('Use an event bus'));
  expect(error.code).toBe('github_failed');
  expect(error.userMessage).toMatch(/could not settle on a number .* Try again in a minute\.$/);
  expect(taken).toEqual(['0007', '0008', '0009', '0010', '0011'].map((n) => `architect/adr-${n}`));
  expect(branchesNow()).toEqual([...taken, 'main']);
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

/** A fixture collection as the repository's docs/adr. */
function collectionFiles(layout: string): Record<string, string> {
  const dir = path.join(ROOT, 'test/fixtures/adr-collections', layout);
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(dir, name);
    if (statSync(full).isFile())
      files[`docs/adr/${name.split(path.sep).join('/')}`] = readFileSync(full, 'utf8');
  }
  return files;
}

/** Saves "Use an event bus" into a repository holding the `layout` collection; the target its renderer was given. */
async function saveInto(layout: string, text: string, date?: string) {
  fake.seedRepo({ ...where, files: collectionFiles(layout) });
  const seen: AdrTarget[] = [];
  const opened = await adrs().openAdrPullRequest({
    slug: 'Use an event bus',
    title: 'ADR: Use an event bus',
    ...(date ? { date } : {}),
    markdown: (target) => {
      seen.push(target);
      return text;
    },
  });
  return { opened, target: seen[0] };
}

test('in a date-prefixed folder a saved ADR is named by the day, on its own branch, with no number claimed', async () => {
  const { opened, target } = await saveInto('date-prefixed', '# Use an event bus\n', '2026-01-05');
  expect(opened).toMatchObject({
    path: 'docs/adr/2026-01-05-use-an-event-bus.md',
    branch: 'architect/new-adr-2026-01-05-use-an-event-bus',
  });
  expect(target).toEqual({
    number: undefined,
    convention: expect.objectContaining({ naming: 'date', header: 'status-section' }),
  });
  expect(fake.fileAt('acme', 'platform', opened.branch, opened.path)).toBe('# Use an event bus\n');
  expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/refs'))).toHaveLength(1);
});

test('in an adr-NNN folder with a template, the next number keeps the prefix and width, and the template is handed over', async () => {
  const { opened, target } = await saveInto('prefixed', '# ADR-006: Use an event bus\n');
  expect(opened).toMatchObject({
    path: 'docs/adr/adr-006-use-an-event-bus.md',
    branch: 'architect/adr-0006-use-an-event-bus',
    markdown: '# ADR-006: Use an event bus\n',
  });
  expect(target?.number).toBe(6);
  expect(target?.convention).toMatchObject({ naming: 'numbered', prefix: 'adr-', width: 3 });
  expect(target?.convention.template).toContain('# ADR-NNN: Title');
});

test('a log4brains repository: every ADR of docs/adr and of packages below it is read, ids by package', async () => {
  // The monorepo's root as the ADR folder: its docs/adr and packages/*/adr are below it.
  fake.seedRepo({ ...where, files: collectionFiles('log4brains') });
  const read = await adrs().readAdrs();
  expect(read.adrs.map((a) => a.id)).toEqual([
    '20200924-use-log4brains-to-manage-the-adrs',
    '20200925-number-the-adrs',
    '20201016-use-the-adr-slug-as-its-unique-id',
    '20210110-monorepo-with-pnpm-workspaces',
    'search/20210301-keep-payment-data-out-of-search',
    'billing/20210301-use-stripe-for-payments',
    'billing/20210412-idempotency-keys-on-webhooks',
  ]);
  expect(read.adrs[1]).toMatchObject({
    superseded: true,
    supersededBy: ['20201016-use-the-adr-slug-as-its-unique-id'],
  });
  expect(read.skipped.filter((s) => s.looksLikeAdr)).toEqual([]);
});
