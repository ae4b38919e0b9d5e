import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REVIEW_COMMENT_MARKER } from '../../src/github/pull-request-comment';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { GitHubFake } from '../fakes/github-fake';
import { sampleReview, sampleReviewCiting } from '../fixtures/sample-review';
import { teamDecisionsIn } from '../helpers/claude-request';
import { ROOT, runCli, runCliInProcess } from '../helpers/cli-process';

/**
 * The workflow's review-and-comment step (`architect pr-review`) against loopback GitHub and Anthropic
 * APIs, through the real Octokit and Anthropic SDK, in the checkout the workflow would have.
 */

const owner = 'acme';
const repo = 'platform';
/**
 * The pull request's checkout: a design doc at the root, and under docs/adr the ADR the pull request adds
 * (0007) beside one the team decided earlier (0003).
 */
const CHECKOUT = path.join(ROOT, 'test/fixtures/cli');
const CHANGED = [
  { filename: 'docs/adr/0007-event-bus.md', status: 'added' },
  { filename: 'orders.design.md', status: 'modified' },
  { filename: 'src/app.ts', status: 'modified' },
  { filename: 'docs/adr/0001-retired.md', status: 'removed' },
];

let github: GitHubFake;
let claude: AnthropicFake;
let eventDir: string;

beforeEach(async () => {
  github = await GitHubFake.start();
  claude = await AnthropicFake.start();
  github.seedRepo({ owner, repo });
  eventDir = mkdtempSync(path.join(tmpdir(), 'architect-event-'));
});
afterEach(async () => {
  await Promise.all([github.close(), claude.close()]);
  rmSync(eventDir, { recursive: true, force: true });
});

/** A pull request with these changed files, and the event file GitHub Actions would write for it. */
function openPullRequest(files = CHANGED): { pr: number; env: Record<string, string> } {
  const pr = github.seedPullRequest(owner, repo, { files });
  const eventPath = path.join(eventDir, `event-${pr}.json`);
  writeFileSync(
    eventPath,
    JSON.stringify({ action: 'synchronize', pull_request: { number: pr, head: { sha: 'a1b2c3d4e5f6' } } }),
  );
  return {
    pr,
    env: {
      ANTHROPIC_API_KEY: claude.apiKey,
      ANTHROPIC_BASE_URL: claude.baseURL,
      ANTHROPIC_MAX_RETRIES: '0',
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: `${owner}/${repo}`,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_EVENT_PATH: eventPath,
    },
  };
}

/** `architect ARGS` in this process, for the cases that need no process of their own. */
const architect = (args: string[], env: Record<string, string>) =>
  runCliInProcess(args, { env, cwd: CHECKOUT });

const ours = (pr: number) =>
  github.comments(owner, repo, pr).filter((c) => c.body.startsWith(REVIEW_COMMENT_MARKER));

test('one comment reviews each changed design document; the next push updates it instead of posting a second one', async () => {
  const { pr, env } = openPullRequest();
  github.seedComments(owner, repo, pr, [{ body: 'Please look at the ADR first.', user: 'alice' }]);

  const first = await runCli(['pr-review'], { env, cwd: CHECKOUT });

  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(
    /^posted the review comment: https:\/\/github\.com\/acme\/platform\/pull\/\d+#issuecomment-\d+\n$/,
  );
  expect(claude.requests).toHaveLength(2);
  const [comment] = ours(pr);
  expect(comment?.body).toContain(
    '2 changed design documents matching `docs/adr/**`, `docs/design/**`, `*.design.md`, reviewed by **backend-architect** at a1b2c3d.',
  );
  expect(comment?.body).toContain('### `docs/adr/0007-event-bus.md`');
  expect(comment?.body).toContain('### `orders.design.md`');
  expect(comment?.body).not.toContain('src/app.ts');
  expect(comment?.body).not.toContain('0001-retired');
  expect(comment?.body).toContain(`**🟡 Sound with changes** — ${sampleReview().headline}`);
  expect(comment?.body).toContain('<details>\n<summary>Full review</summary>');

  // The author pushes again; the review changes.
  claude.enqueue(
    {
      kind: 'review',
      review: sampleReview({ verdict: 'sound', headline: 'Event bus ADR: sound as revised' }),
    },
    {
      kind: 'review',
      review: sampleReview({ verdict: 'sound', headline: 'Orders design: sound as revised' }),
    },
  );
  const second = await runCli(['pr-review'], { env, cwd: CHECKOUT });

  expect(second.code).toBe(0);
  expect(second.stdout).toBe(`updated the review comment: ${first.stdout.split(': ')[1]}`);
  const comments = github.comments(owner, repo, pr);
  expect(comments).toHaveLength(2);
  expect(comments[0]?.body).toBe('Please look at the ADR first.');
  expect(ours(pr)).toHaveLength(1);
  expect(ours(pr)[0]?.body).toContain('**✅ Sound** — Event bus ADR: sound as revised');
  expect(ours(pr)[0]?.body).not.toContain(sampleReview().headline);
});

test('--paths chooses the documents; when no changed file matches, nothing is posted', async () => {
  const { pr, env } = openPullRequest();

  const adrOnly = await architect(['pr-review', '--paths', 'docs/adr/**'], env);
  expect(adrOnly.code).toBe(0);
  expect(ours(pr)[0]?.body).toContain('### `docs/adr/0007-event-bus.md`');
  expect(ours(pr)[0]?.body).not.toContain('orders.design.md');

  const { pr: other, env: otherEnv } = openPullRequest([{ filename: 'src/app.ts', status: 'modified' }]);
  const none = await architect(['pr-review'], otherEnv);
  expect(none.code).toBe(0);
  expect(none.stderr).toBe(
    'architect: no changed file matches docs/adr/**, docs/design/**, *.design.md; nothing to review\n',
  );
  expect(github.comments(owner, repo, other)).toEqual([]);
});

test('a document Claude could not review is named in the comment with the reason, and the step fails', async () => {
  const { pr, env } = openPullRequest();
  claude.enqueue({ kind: 'review' }, { kind: 'error', status: 529, type: 'overloaded_error' });

  const { code, stderr } = await architect(['pr-review'], env);

  expect(code).toBe(1);
  expect(stderr).toContain('could not review orders.design.md: Claude is overloaded right now');
  const body = ours(pr)[0]?.body ?? '';
  expect(body).toContain('### `docs/adr/0007-event-bus.md`\n\n**🟡 Sound with changes**');
  expect(body).toContain(
    '### `orders.design.md`\n\n> ⚠️ Not reviewed: Claude is overloaded right now, even after retrying. Try again in a few minutes.',
  );
});

test('--fail-on major posts the comment, then exits 2', async () => {
  const { pr, env } = openPullRequest();
  const { code, stderr } = await architect(['pr-review', '--fail-on', 'major'], env);
  expect(code).toBe(2);
  expect(stderr.trimEnd().split('\n').pop()).toBe(
    'architect: 4 findings at or above major (--fail-on major)',
  );
  expect(ours(pr)).toHaveLength(1);
});

test('--max-files bounds the reviews of one run and the comment lists the rest', async () => {
  const { pr, env } = openPullRequest();
  const { code } = await architect(['pr-review', '--max-files', '1'], env);
  expect(code).toBe(0);
  expect(claude.requests).toHaveLength(1);
  expect(ours(pr)[0]?.body).toContain('_Not reviewed (at most 1 file a run): `orders.design.md`._');
});

test('--fail-on cannot pass while files beyond --max-files went unreviewed', async () => {
  const { env } = openPullRequest();
  claude.enqueue({ kind: 'review', review: sampleReview({ verdict: 'sound', findings: [] }) });
  const { code, stderr } = await architect(['pr-review', '--max-files', '1', '--fail-on', 'blocker'], env);
  expect(code).toBe(2);
  expect(stderr.trimEnd().split('\n').pop()).toBe(
    'architect: 1 matching file was not reviewed (--max-files); --fail-on blocker cannot pass without them',
  );
});

test('a changed design that is a symbolic link (to the runner’s .env, say) is not followed, and nothing of its target reaches Claude', async () => {
  const checkout = mkdtempSync(path.join(tmpdir(), 'architect-checkout-'));
  const secrets = mkdtempSync(path.join(tmpdir(), 'architect-secrets-'));
  try {
    writeFileSync(path.join(secrets, '.env'), 'ANTHROPIC_API_KEY=sk-ant-very-secret\n');
    mkdirSync(path.join(checkout, 'docs/design'), { recursive: true });
    symlinkSync(path.join(secrets, '.env'), path.join(checkout, 'docs/design/x.design.md'));
    const { pr, env } = openPullRequest([{ filename: 'docs/design/x.design.md', status: 'added' }]);
    const { code, stderr } = await runCliInProcess(['pr-review'], { env, cwd: checkout });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'cannot read docs/design/x.design.md: it is a symbolic link (not followed in a pull request)',
    );
    expect(claude.requests).toHaveLength(0);
    expect(ours(pr)[0]?.body).not.toContain('sk-ant-very-secret');
  } finally {
    rmSync(checkout, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  }
});

test('without the token or outside a pull request, one line says what is missing', async () => {
  const { env } = openPullRequest();
  const noToken = await architect(['pr-review'], { ...env, GITHUB_TOKEN: '' });
  expect(noToken.code).toBe(1);
  expect(noToken.stderr).toBe(
    'architect: GITHUB_TOKEN is required (the workflow passes the job’s token, github.token)\n',
  );

  const { GITHUB_EVENT_PATH: _none, ...push } = env;
  const noPull = await architect(['pr-review'], push);
  expect(noPull.code).toBe(1);
  expect(noPull.stderr).toBe(
    'architect: no pull request: run in a pull_request workflow, or name one with --pr NUMBER\n',
  );
  expect(claude.requests).toHaveLength(0);
});

test('a token GitHub refuses: one line naming GITHUB_TOKEN, and Claude is never asked', async () => {
  const { env } = openPullRequest();
  github.refuseToken();
  const { code, stderr } = await architect(['pr-review'], env);
  expect(code).toBe(1);
  expect(stderr).toMatch(/^architect: GitHub refused the token in GITHUB_TOKEN \(Bad credentials\)\..*\n$/);
  expect(claude.requests).toHaveLength(0);
});

test('the checkout’s ADRs are precedent for each document, except those the pull request adds or changes', async () => {
  const { pr, env } = openPullRequest();
  // The ADR's review cites the ADR itself; the design's cites the decided one.
  claude.enqueue(
    { kind: 'review', review: sampleReviewCiting('ADR-0007') },
    { kind: 'review', review: sampleReviewCiting('ADR-0003') },
  );

  const { code } = await architect(['pr-review'], env);

  expect(code).toBe(0);
  expect(claude.requests).toHaveLength(2);
  for (const request of claude.requests) {
    const decisions = teamDecisionsIn(request);
    expect(decisions).toContain('<team_decisions source="docs/adr">');
    expect(decisions).toContain(
      'ADR-0003 · Use a transactional outbox for order events · accepted · 2024-03-04',
    );
    expect(decisions).toContain('Exports and reports read the replica, never the primary.');
    // The proposed ADR is the design under review, not a decision: in neither request as precedent.
    expect(decisions).not.toContain('ADR-0007 ·');
    expect(decisions).not.toContain('Kafka as the event bus');
  }
  const body = ours(pr)[0]?.body ?? '';
  const [adrSection = '', designSection = ''] = body.split('### `orders.design.md`');
  expect(adrSection).toContain('### `docs/adr/0007-event-bus.md`');
  expect(adrSection).not.toContain('the team’s decision');
  expect(adrSection).not.toContain('under review alongside');
  expect(designSection).toContain(
    '📌 Follows the team’s decision **ADR-0003: Use a transactional outbox for order events** (accepted)',
  );
  expect(designSection).toContain(
    '_ADR-0007 is under review alongside this document, so not held against it as the team’s decisions_',
  );

  const without = await architect(['pr-review', '--no-adrs'], env);
  expect(without.code).toBe(0);
  expect(claude.requests.slice(2).map(teamDecisionsIn)).toEqual([undefined, undefined]);
});

test('an --adrs folder that is not there: one line, and neither GitHub nor Claude is asked', async () => {
  const { pr, env } = openPullRequest();
  const { code, stderr } = await architect(['pr-review', '--adrs', 'decisions'], env);
  expect(code).toBe(1);
  expect(stderr).toBe('architect: cannot read the ADRs in decisions (--adrs): no such folder\n');
  expect(github.comments(owner, repo, pr)).toEqual([]);
  expect(claude.requests).toHaveLength(0);
});
