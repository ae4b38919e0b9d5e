import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GroundedReviewSchema } from '../../src/domain/review';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { sampleReview, sampleReviewCiting } from '../fixtures/sample-review';
import { teamDecisionsIn } from '../helpers/claude-request';
import { ROOT, runCli } from '../helpers/cli-process';

/**
 * `architect` as a person runs it: a real process against the loopback Anthropic API, with nothing of
 * Slack or Redis in its environment.
 */

const DESIGN = 'test/fixtures/cli/orders.design.md';
let claude: AnthropicFake;
let env: Record<string, string>;

beforeAll(async () => {
  claude = await AnthropicFake.start();
});
afterAll(() => claude.close());
beforeEach(() => {
  claude.reset();
  // No retries: a scripted failure is the answer, not something to wait out.
  env = { ANTHROPIC_API_KEY: claude.apiKey, ANTHROPIC_BASE_URL: claude.baseURL, ANTHROPIC_MAX_RETRIES: '0' };
});

/** The text and documents of the user turns Claude was sent. */
function sentContent(): Record<string, unknown>[] {
  const body = claude.lastRequest()?.body;
  const messages = Array.isArray(body?.messages) ? (body.messages as { content: unknown }[]) : [];
  return messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Record<string, unknown>[]) : []));
}

/** Exactly one line on stderr, and no stack trace in it. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] ?? '';
}

describe('architect review', () => {
  it('prints the review as Markdown, verdict first, having sent the file as a document with the agent’s prompt', async () => {
    const { code, stdout, stderr } = await runCli(['review', DESIGN], { env });

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toBe(`**🟡 Sound with changes** — ${sampleReview().headline}`);
    expect(stdout.indexOf('**Must fix**')).toBeLessThan(stdout.indexOf('## Findings (3)'));
    expect(stdout).toContain('> “nightly export”');
    const request = claude.lastRequest()?.body;
    expect(request?.model).toBe('claude-sonnet-5-5');
    expect(JSON.stringify(request?.system)).toContain('You are a Senior Backend Architect');
    // Claude is told where its reply is read: a terminal or a pull request, not a Slack thread.
    expect(JSON.stringify(request?.system)).toContain('You are reviewing a design document');
    expect(JSON.stringify(request?.system)).not.toContain('inside a Slack thread');
    const document = sentContent().find((b) => b.type === 'document');
    expect(document).toMatchObject({
      title: DESIGN,
      source: { type: 'text', media_type: 'text/plain' },
    });
    expect(JSON.stringify(document)).toContain('The nightly export runs on the primary');
  });

  it('prints the validated review object with --format json, its quotes checked against the file', async () => {
    const review = sampleReview();
    const [blocker, major] = review.findings;
    if (!blocker || !major) throw new Error('the sample review has findings');
    claude.enqueue({
      kind: 'review',
      review: { ...review, findings: [blocker, { ...major, evidence: 'a sentence the design never had' }] },
    });

    const { code, stdout } = await runCli(
      ['review', DESIGN, '--format', 'json', '--model', 'claude-opus-5-5'],
      {
        env,
      },
    );

    expect(code).toBe(0);
    const printed = GroundedReviewSchema.parse(JSON.parse(stdout));
    expect(printed.headline).toBe(review.headline);
    expect(printed.findings.map((f) => [f.title, f.verified])).toEqual([
      [blocker.title, true],
      [major.title, false],
    ]);
    expect(claude.lastRequest()?.body.model).toBe('claude-opus-5-5');
  });

  it('reviews standard input with -', async () => {
    const { code, stdout } = await runCli(['review', '-'], {
      env,
      stdin: '# Payments\n\nStripe webhooks publish straight to Kafka after the commit.\n',
    });

    expect(code).toBe(0);
    expect(stdout).toContain('## Findings (3)');
    const document = sentContent().find((b) => b.type === 'document');
    expect(document).toMatchObject({ title: 'design.md' });
    expect(JSON.stringify(document)).toContain('Stripe webhooks publish straight to Kafka');
  });

  it('sends a PDF as a PDF document and an image as an image, as Slack files reach Claude', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n', 'latin1');
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);

    expect((await runCli(['review', '-'], { env, stdin: pdf })).code).toBe(0);
    expect(sentContent().find((b) => b.type === 'document')).toMatchObject({
      source: { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') },
    });
    expect((await runCli(['review', '-'], { env, stdin: png })).code).toBe(0);
    expect(sentContent().find((b) => b.type === 'image')).toMatchObject({
      source: { type: 'base64', media_type: 'image/png' },
    });
  });

  it('uses the agent named with --agent, from AGENTS_DIR', async () => {
    const { code } = await runCli(['review', DESIGN, '--agent', 'Z-Planner'], {
      env: { ...env, AGENTS_DIR: 'test/fixtures/agents/mixed' },
    });

    expect(code).toBe(0);
    const request = claude.lastRequest()?.body;
    expect(JSON.stringify(request?.system)).toContain('You plan migrations.');
    expect(request?.model).toBe('claude-opus-4-1');
  });

  it('exits 2 with --fail-on when a finding is at or above it, after printing the review', async () => {
    const blocked = await runCli(['review', DESIGN, '--fail-on', 'blocker'], { env });
    expect(blocked.code).toBe(2);
    expect(blocked.stdout).toContain('## Findings (3)');
    expect(oneLine(blocked.stderr)).toBe('architect: 1 finding at or above blocker (--fail-on blocker)');

    const major = await runCli(['review', DESIGN, '--fail-on', 'major', '--format', 'json'], { env });
    expect(major.code).toBe(2);
    expect(oneLine(major.stderr)).toBe('architect: 2 findings at or above major (--fail-on major)');

    const minorOnly = sampleReview().findings.filter((f) => f.severity === 'minor');
    claude.enqueue({ kind: 'review', review: sampleReview({ findings: minorOnly }) });
    const passed = await runCli(['review', DESIGN, '--fail-on', 'major'], { env });
    expect(passed.code).toBe(0);
    expect(passed.stderr).toBe('');
  });

  it.each([
    ['a missing file', ['review', 'docs/nope.md'], {}, 'architect: cannot read docs/nope.md: no such file'],
    [
      'an unknown agent',
      ['review', DESIGN, '--agent', 'nobody'],
      {},
      `architect: --agent "nobody" did not load from ${ROOT}/agents/: no such agent; loaded: backend-architect`,
    ],
    [
      'a missing key',
      ['review', DESIGN],
      { ANTHROPIC_API_KEY: '' },
      'architect: ANTHROPIC_API_KEY is required (your Claude API key)',
    ],
    [
      'a key Claude refuses',
      ['review', DESIGN],
      { ANTHROPIC_API_KEY: 'sk-ant-wrong' },
      'architect: Claude refused the API key: check ANTHROPIC_API_KEY.',
    ],
    [
      'a bad option value',
      ['review', DESIGN, '--format', 'yaml'],
      {},
      'architect: --format must be "markdown" or "json"',
    ],
    [
      'no file named',
      ['review'],
      {},
      'architect: review takes one file to review (or - for standard input); see architect --help',
    ],
    [
      'an unknown command',
      ['reveiw', DESIGN],
      {},
      'architect: unknown command "reveiw"; see architect --help',
    ],
    [
      'an --adrs folder that is not there',
      ['review', DESIGN, '--adrs', '/missing/adrs'],
      {},
      'architect: cannot read the ADRs in /missing/adrs (--adrs): no such folder',
    ],
    [
      'an ADR_DIR that is not there',
      ['review', DESIGN],
      { ADR_DIR: 'docs/decisions' },
      'architect: cannot read the ADRs in docs/decisions (ADR_DIR): no such folder',
    ],
    [
      'both --adrs and --no-adrs',
      ['review', DESIGN, '--adrs', 'docs/adr', '--no-adrs'],
      {},
      'architect: --adrs and --no-adrs cannot go together',
    ],
  ])('%s: exit 1 and one line on stderr', async (_what, args, extraEnv, message) => {
    const { code, stdout, stderr } = await runCli(args, { env: { ...env, ...extraEnv } });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(oneLine(stderr)).toBe(message);
  });

  it('a failed Claude request: exit 1 and what Claude said, in one line', async () => {
    claude.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' });
    const { code, stdout, stderr } = await runCli(['review', DESIGN], { env });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(oneLine(stderr)).toBe(
      'architect: Claude is overloaded right now, even after retrying. Try again in a few minutes.',
    );
  });

  it('a file that is not text, a PDF or an image is refused before Claude is asked', async () => {
    const { code, stderr } = await runCli(['review', '-'], {
      env,
      stdin: Buffer.from([0x00, 0x01, 0x02, 0xff]),
    });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toBe('architect: cannot review design.md: binary content');
    expect(claude.requests).toHaveLength(0);
  });

  it('takes paths from where `npm run architect` was started, not the package folder', async () => {
    const { spawn } = await import('node:child_process');
    const proc = spawn('npm', ['run', '-s', 'architect', '--', 'review', 'orders.design.md'], {
      cwd: `${ROOT}/test/fixtures/cli`,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    const code = await new Promise((resolve) => proc.once('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('## Findings (3)');
    expect(sentContent().find((b) => b.type === 'document')).toMatchObject({ title: 'orders.design.md' });
  });
});

describe('architect review with the team’s ADRs', () => {
  /** A repository's checkout: the design, and two ADRs in docs/adr. */
  let checkout: string;
  const OUTBOX_TITLE = 'Use a transactional outbox for order events';

  beforeAll(() => {
    checkout = mkdtempSync(path.join(tmpdir(), 'architect-checkout-'));
    mkdirSync(path.join(checkout, 'docs/adr'), { recursive: true });
    copyFileSync(path.join(ROOT, DESIGN), path.join(checkout, 'orders.design.md'));
    writeFileSync(
      path.join(checkout, 'docs/adr/0003-record-architecture-decisions.md'),
      '# Record architecture decisions\n\nStatus: accepted\n\nWe keep decisions as ADRs in docs/adr.\n',
    );
    writeFileSync(
      path.join(checkout, 'docs/adr/0007-use-transactional-outbox.md'),
      `# ${OUTBOX_TITLE}\n\nStatus: accepted\nDate: 2024-03-04\n\nOrder events go through an outbox table written in the order's transaction. Exports read the replica, never the primary.\n`,
    );
  });
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  const major = sampleReview().findings.find((f) => f.severity === 'major');

  /** The Markdown of the major finding: from its heading to the next finding's. */
  function majorSection(stdout: string): string {
    const start = stdout.indexOf(`— ${major?.title}`);
    return stdout.slice(start, stdout.indexOf('### ', start));
  }

  it('--adrs DIR: Claude gets the index and the related ADR in full, and a finding citing it is printed as the team’s decision', async () => {
    claude.enqueue({ kind: 'review', review: sampleReviewCiting('ADR-0007') });

    const { code, stdout, stderr } = await runCli(
      ['review', DESIGN, '--adrs', path.join(checkout, 'docs/adr')],
      { env },
    );

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const decisions = teamDecisionsIn(claude.lastRequest());
    expect(decisions).toContain(`<team_decisions source="${path.join(checkout, 'docs/adr')}">`);
    expect(decisions).toContain('ADR-0003 · Record architecture decisions · accepted · undated');
    expect(decisions).toContain(`ADR-0007 · ${OUTBOX_TITLE} · accepted · 2024-03-04`);
    expect(decisions).toContain(`<adr id="ADR-0007" title="${OUTBOX_TITLE}" status="accepted">`);
    expect(decisions).toContain('Exports read the replica, never the primary.');
    const section = majorSection(stdout);
    expect(section).toContain(`📌 Follows the team’s decision **ADR-0007: ${OUTBOX_TITLE}** (accepted)`);
    expect(section).not.toContain('Not tied to a quote');
  });

  it('cites only ADRs Claude was shown: a citation of any other is dropped and the finding is not grounded', async () => {
    claude.enqueue({ kind: 'review', review: sampleReviewCiting('ADR-0042') });

    const { code, stdout } = await runCli(['review', 'orders.design.md', '--format', 'json'], {
      env,
      cwd: checkout,
    });

    expect(code).toBe(0);
    const printed = GroundedReviewSchema.parse(JSON.parse(stdout));
    expect(printed.findings.find((f) => f.title === major?.title)).toMatchObject({ verified: false });
    expect(printed.findings.some((f) => f.adr)).toBe(false);
    // Without --adrs: the checkout's docs/adr, named as the repository names it.
    expect(teamDecisionsIn(claude.lastRequest())).toContain('<team_decisions source="docs/adr">');
  });

  it('reads ADR_DIR when --adrs is not given, and nothing with --no-adrs', async () => {
    const elsewhere = path.join(ROOT, 'test/fixtures/cli/docs/adr');
    expect(
      (await runCli(['review', 'orders.design.md'], { env: { ...env, ADR_DIR: elsewhere }, cwd: checkout }))
        .code,
    ).toBe(0);
    const decisions = teamDecisionsIn(claude.lastRequest());
    expect(decisions).toContain('ADR-0003 · Use a transactional outbox for order events · accepted');
    expect(decisions).not.toContain('Record architecture decisions');

    const none = await runCli(['review', 'orders.design.md', '--no-adrs'], { env, cwd: checkout });
    expect(none.code).toBe(0);
    expect(teamDecisionsIn(claude.lastRequest())).toBeUndefined();
    expect(JSON.stringify(claude.lastRequest()?.body)).not.toMatch(/Record architecture decisions|outbox/);
  });

  it('an ADR under review is not precedent for itself: it is sent once, as the document, and cannot ground a finding', async () => {
    claude.enqueue({ kind: 'review', review: sampleReviewCiting('ADR-0007') });

    const { code, stdout } = await runCli(['review', 'docs/adr/0007-use-transactional-outbox.md'], {
      env,
      cwd: checkout,
    });

    expect(code).toBe(0);
    const decisions = teamDecisionsIn(claude.lastRequest());
    expect(decisions).toContain('ADR-0003 · Record architecture decisions');
    // Not in the index nor in full ("ADR-0007" alone is the framing's example of an id).
    expect(decisions).not.toContain('ADR-0007 ·');
    expect(decisions).not.toContain('<adr id="ADR-0007"');
    expect(JSON.stringify(claude.lastRequest()?.body).split('Exports read the replica')).toHaveLength(2);
    const section = majorSection(stdout);
    expect(section).not.toContain('ADR-0007');
    expect(section).toContain('Not tied to a quote');
  });
});

describe('architect agents', () => {
  it('lists the agents review would use, and names the files it would skip on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['agents'], {
      env: { AGENTS_DIR: 'test/fixtures/agents/mixed' },
    });
    expect(code).toBe(0);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual(['a-reviewer claude-sonnet-5-5', 'bad-model claude-sonnet-5-5', 'z-planner claude-opus-4-1']);
    expect(stderr).toContain('skipped evil-js.md: front matter language "js" is not allowed (only YAML)');
  });

  it('needs no API key and uses the agents Architect ships with by default', async () => {
    const { code, stdout } = await runCli(['agents']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^backend-architect +claude-sonnet-5-5 +Use this agent/);
  });
});
