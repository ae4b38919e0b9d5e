import path from 'node:path';
import { sampleReviewCiting } from '../fixtures/sample-review';
import { teamDecisionsIn } from '../helpers/claude-request';
import { claudeForCli, runCli, runCliInProcess } from '../helpers/cli-process';

/**
 * Each ADR layout teams use, as a fixture collection written for the project, through the CLI as a team
 * runs it: `architect adrs DIR` reads every ADR of each (in this process, through the binary's entry; one
 * run as a process of its own), and `architect review --adrs DIR`, as a real process against the
 * Anthropic fake, gives them all to Claude and grounds a citation of one, whatever the ids look like.
 */

const COLLECTIONS = 'test/fixtures/adr-collections';
const DESIGN = 'test/fixtures/cli/orders.design.md';

interface Expected {
  layout: string;
  /** Every ADR of the collection, by id, oldest first in `architect adrs`' file order. */
  ids: string[];
  summary: string;
  /** One superseded ADR as the index shows it, and the one a finding cites. */
  superseded: string;
  cite: string;
}

const EXPECTED: Expected[] = [
  {
    layout: 'adr-tools',
    ids: ['ADR-0001', 'ADR-0002', 'ADR-0003', 'ADR-0004', 'ADR-0005', 'ADR-0006'],
    summary: '7 files: 6 ADRs read, 0 ADR files skipped, 1 other file',
    superseded: 'ADR-0002 · Publish events from request handlers ·',
    cite: 'ADR-0005',
  },
  {
    layout: 'madr-2',
    ids: ['ADR-0001', 'ADR-0002', 'ADR-0003', 'ADR-0004', 'ADR-0005'],
    summary: '7 files: 5 ADRs read, 0 ADR files skipped, 2 other files',
    superseded: 'ADR-0002 · Store sessions in Redis ·',
    cite: 'ADR-0004',
  },
  {
    layout: 'madr-3',
    ids: ['ADR-0000', 'ADR-0001', 'ADR-0002', 'ADR-0003', 'ADR-0004'],
    summary: '6 files: 5 ADRs read, 0 ADR files skipped, 1 other file',
    superseded:
      'ADR-0002 · REST for internal service calls · accepted [SUPERSEDED by ADR-0003: no longer holds]',
    cite: 'ADR-0003',
  },
  {
    layout: 'madr-4',
    ids: ['ADR-0000', 'ADR-0001', 'ADR-0002', 'ADR-0003', 'ADR-0004'],
    summary: '6 files: 5 ADRs read, 0 ADR files skipped, 1 other file',
    superseded:
      'ADR-0001 · Row-level tenant isolation · superseded by ADR-0003 [SUPERSEDED by ADR-0003: no longer holds]',
    cite: 'ADR-0003',
  },
  {
    layout: 'log4brains',
    ids: [
      '20200924-use-log4brains-to-manage-the-adrs',
      '20200925-number-the-adrs',
      '20201016-use-the-adr-slug-as-its-unique-id',
      '20210110-monorepo-with-pnpm-workspaces',
      'billing/20210301-use-stripe-for-payments',
      'billing/20210412-idempotency-keys-on-webhooks',
      'search/20210301-keep-payment-data-out-of-search',
    ],
    summary: '11 files: 7 ADRs read, 0 ADR files skipped, 4 other files',
    superseded: '20200925-number-the-adrs · Number the ADRs ·',
    cite: 'billing/20210412-idempotency-keys-on-webhooks',
  },
  {
    layout: 'date-prefixed',
    ids: [
      '2024-09-25-build-cache',
      '2024-09-25-signing-configuration',
      '2024-11-02-container-base-images',
      '2024-12-05-deploy-windows',
      '2025-01-10-rotate-signing-keys-with-kms',
      '2025-03-18-sbom-for-every-release',
    ],
    summary: '6 files: 6 ADRs read, 0 ADR files skipped, 0 other files',
    superseded: '2024-09-25-signing-configuration · Sign release artifacts with Sigstore ·',
    cite: '2025-01-10-rotate-signing-keys-with-kms',
  },
  {
    layout: 'prefixed',
    ids: ['ADR-0001', 'ADR-0002', 'ADR-0003', 'ADR-0004', 'ADR-0005'],
    summary: '6 files: 5 ADRs read, 0 ADR files skipped, 1 other file',
    superseded:
      'ADR-0002 · A gateway for the mobile apps · Superseded by ADR-005 [SUPERSEDED by ADR-0005: no longer holds]',
    cite: 'ADR-0005',
  },
];

const fake = claudeForCli();

describe.each(EXPECTED)('the $layout collection', ({ layout, ids, summary, superseded, cite }) => {
  const dir = path.join(COLLECTIONS, layout);

  it('architect adrs reads every ADR in it and exits 0', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['adrs', dir]);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('ok ')).map((l) => l.split(' ')[1])).toEqual(ids);
    expect(lines.filter((l) => l.startsWith('skipped ')).every((l) => l.includes(': not an ADR ('))).toBe(
      true,
    );
    expect(lines.at(-1)).toBe(summary);
    expect(code).toBe(0);
  });

  it('architect review --adrs gives Claude all of them, superseded ones marked, and grounds a citation', async () => {
    fake.claude().enqueue({ kind: 'review', review: sampleReviewCiting(cite) });
    const { code, stdout, stderr } = await runCli(['review', DESIGN, '--adrs', dir], { env: fake.env() });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const decisions = teamDecisionsIn(fake.claude().lastRequest()) ?? '';
    for (const id of ids) expect(decisions).toContain(`\n${id} · `);
    expect(decisions).toContain(superseded);
    expect(decisions.split('\n').find((l) => l.startsWith(superseded))).toContain('[SUPERSEDED');
    expect(decisions).not.toContain('left out of the index');
    expect(stdout).toContain(`📌 Follows the team’s decision **${cite}: `);
  });
});

describe('a folder with odd files', () => {
  const dir = path.join(COLLECTIONS, 'odd-files');

  it('architect adrs names each file it could not read and exits 1', async () => {
    const { code, stdout } = await runCli(['adrs', dir], { env: {} });
    expect(stdout.trimEnd().split('\n')).toEqual([
      'ok ADR-0001 Keep going (Accepted)',
      `skipped ${dir}/0002-empty.md: the file is empty`,
      `skipped ${dir}/0003-latin-1.md: not UTF-8 text`,
      'ok ADR-0004 Broken front matter (Accepted)',
      `skipped ${dir}/glossary.md: not an ADR (no number or date in its name, and no status, front matter or Decision section)`,
      '5 files: 2 ADRs read, 2 ADR files skipped, 1 other file',
    ]);
    expect(code).toBe(1);
  });

  it('a review still goes on, with the ADRs it could read, naming the files it could not', async () => {
    fake.claude().enqueue({ kind: 'review', review: sampleReviewCiting('ADR-0004') });
    const { code, stdout, stderr } = await runCli(['review', DESIGN, '--adrs', dir], { env: fake.env() });
    expect(code).toBe(0);
    expect(stderr.trimEnd().split('\n')).toEqual([
      `architect: skipped ADR ${dir}/0002-empty.md: the file is empty`,
      `architect: skipped ADR ${dir}/0003-latin-1.md: not UTF-8 text`,
    ]);
    expect(stdout).toContain(
      'ADR files not read: 0002-empty.md (the file is empty), 0003-latin-1.md (not UTF-8 text)',
    );
    expect(stdout).toContain('📌 Follows the team’s decision **ADR-0004: Broken front matter**');
  });

  it('architect adrs on a folder that is not there says so and exits 1', async () => {
    const { code, stderr } = await runCliInProcess(['adrs', path.join(COLLECTIONS, 'nowhere')]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `architect: cannot read the ADRs in ${COLLECTIONS}/nowhere (--adrs): no such folder\n`,
    );
  });
});
