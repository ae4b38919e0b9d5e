import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EvalCase, scoreCase, totalsOf } from '../../scripts/eval/score';
import type { GroundedReview } from '../../src/domain/review';
import { ROOT } from '../helpers/architect-harness';

const CASE: EvalCase = {
  id: 'wallet',
  domain: 'payments',
  design: 'designs/wallet.md',
  verdict: 'rethink',
  flaws: [
    { id: 'no-ledger', severity: 'blocker', description: 'no ledger', mustMention: ['ledger|journal'] },
    {
      id: 'two-tx',
      severity: 'blocker',
      description: 'two transactions',
      mustMention: ['transfer', 'atomic|transaction'],
    },
  ],
};

const finding = (
  title: string,
  severity: 'blocker' | 'major' | 'minor',
  extra: Partial<GroundedReview['findings'][number]> = {},
): GroundedReview['findings'][number] => ({
  severity,
  category: 'data',
  title,
  detail: '',
  recommendation: '',
  verified: false,
  ...extra,
});

const review = (
  findings: GroundedReview['findings'],
  verdict: GroundedReview['verdict'],
): GroundedReview => ({
  kind: 'review',
  verdict,
  headline: 'h',
  tldr: 't',
  findings,
  assumptions: [],
  clarifyingQuestions: [],
});

const run = {
  model: 'claude-sonnet-5-5',
  ms: 1000,
  usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 },
};

describe('npm run eval', () => {
  it('counts a planted flaw found only when a finding mentions all it must, and the blocker/major noise', () => {
    const score = scoreCase(
      CASE,
      review(
        [
          finding('The balance is the only record: add a ledger', 'blocker', { verified: true }),
          // Mentions transfers but not what makes them wrong: not a find.
          finding('Transfers are slow', 'major'),
          finding('No flag owners', 'minor', { aboutAbsence: true }),
        ],
        'sound_with_changes',
      ),
      run,
    );
    expect(score).toMatchObject({
      found: ['no-ledger'],
      missed: ['two-tx'],
      unplanted: ['Transfers are slow'],
      verdict: { expected: 'rethink', given: 'sound_with_changes', agrees: false },
      findings: 3,
      grounded: 2,
      outputTokens: 500,
    });
    expect(score.costUsd).toBeCloseTo((1000 * 2 + 500 * 10) / 1e6);
    expect(totalsOf([score])).toMatchObject({ recall: 0.5, unplanted: 1, verdictAgreement: 0 });
  });

  it('without a key scores the recorded answers of twelve designs and says it measured no model', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'architect-eval-')), 'results.json');
    const env = { ...process.env };
    delete env.ANTHROPIC_API_KEY;
    const result = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/eval/main.ts', '--out', out],
      {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('measured no model (recorded answers)');
    expect(result.stdout).toMatch(/recall \d+% \(baseline \d+%\)/);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { scores: { domain: string }[] };
    expect(saved.scores).toHaveLength(12);
    expect(new Set(saved.scores.map((s) => s.domain)).size).toBeGreaterThanOrEqual(12);
  });
});
