import { z } from 'zod';
import type { TokenUsage } from '../../src/consultation/claude-consultant';
import { type GroundedReview, VerdictSchema } from '../../src/domain/review';
import { costUsd } from '../../src/observability/prices';

/**
 * One design of the evaluation set: the flaws planted in it, each with what a finding must mention to
 * count (every pattern, case-insensitive, in the finding's title, detail or recommendation), and the
 * verdict a staff engineer would give.
 */
export const EvalCaseSchema = z.object({
  id: z.string().min(1),
  domain: z.string().min(1),
  design: z.string().min(1),
  verdict: VerdictSchema,
  flaws: z.array(
    z.object({
      id: z.string().min(1),
      severity: z.enum(['blocker', 'major', 'minor']),
      description: z.string().min(1),
      mustMention: z.array(z.string().min(1)).min(1),
    }),
  ),
});
export type EvalCase = z.infer<typeof EvalCaseSchema>;
export const EvalCasesSchema = z.object({ cases: z.array(EvalCaseSchema).min(1) });

/** A consultation's answer as it was measured: live, or recorded in the repository. */
export const RecordingSchema = z.object({
  model: z.string().min(1),
  ms: z.number().nonnegative(),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheReadTokens: z.number(),
    cacheWriteTokens: z.number(),
  }),
  review: z.unknown(),
});
export type Recording = z.infer<typeof RecordingSchema>;

export interface CaseScore {
  id: string;
  domain: string;
  flaws: number;
  found: string[];
  missed: string[];
  /** Blocker and major findings that match no planted flaw: noise, or a flaw the set does not plant. */
  unplanted: string[];
  verdict: { expected: string; given: string | undefined; agrees: boolean };
  findings: number;
  /** Findings tied to a quote or an ADR, or about something the design leaves out. */
  grounded: number;
  outputTokens: number;
  costUsd: number | null;
  ms: number;
}

const textOf = (f: GroundedReview['findings'][number]) => `${f.title}\n${f.detail}\n${f.recommendation}`;

/** Whether a finding mentions everything a flaw's finding must mention. */
export function mentions(finding: GroundedReview['findings'][number], patterns: readonly string[]): boolean {
  const text = textOf(finding);
  return patterns.every((p) => new RegExp(p, 'i').test(text));
}

export function scoreCase(
  c: EvalCase,
  review: GroundedReview,
  run: { model: string; ms: number; usage: TokenUsage },
): CaseScore {
  const found = c.flaws.filter((flaw) => review.findings.some((f) => mentions(f, flaw.mustMention)));
  const unplanted = review.findings.filter(
    (f) => f.severity !== 'minor' && !c.flaws.some((flaw) => mentions(f, flaw.mustMention)),
  );
  const cost = costUsd(run.model, {
    input: run.usage.inputTokens,
    output: run.usage.outputTokens,
    cacheRead: run.usage.cacheReadTokens,
    cacheWrite5m: run.usage.cacheWriteTokens,
    cacheWrite1h: 0,
  });
  return {
    id: c.id,
    domain: c.domain,
    flaws: c.flaws.length,
    found: found.map((f) => f.id),
    missed: c.flaws.filter((f) => !found.includes(f)).map((f) => f.id),
    unplanted: unplanted.map((f) => f.title),
    verdict: { expected: c.verdict, given: review.verdict, agrees: review.verdict === c.verdict },
    findings: review.findings.length,
    grounded: review.findings.filter((f) => f.verified || f.aboutAbsence).length,
    outputTokens: run.usage.outputTokens,
    costUsd: cost ?? null,
    ms: run.ms,
  };
}

export interface Totals {
  designs: number;
  recall: number;
  unplanted: number;
  verdictAgreement: number;
  grounded: number;
  outputTokens: number;
  costUsd: number;
  ms: number;
}

export function totalsOf(scores: readonly CaseScore[]): Totals {
  const sum = (f: (s: CaseScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const flaws = sum((s) => s.flaws);
  const findings = sum((s) => s.findings);
  return {
    designs: scores.length,
    recall: flaws ? sum((s) => s.found.length) / flaws : 1,
    unplanted: sum((s) => s.unplanted.length),
    verdictAgreement: scores.length ? sum((s) => (s.verdict.agrees ? 1 : 0)) / scores.length : 0,
    grounded: findings ? sum((s) => s.grounded) / findings : 1,
    outputTokens: sum((s) => s.outputTokens),
    costUsd: sum((s) => s.costUsd ?? 0),
    ms: sum((s) => s.ms),
  };
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

/** The per-design table and the totals, in Markdown; with a baseline, how the totals moved. */
export function renderScores(scores: readonly CaseScore[], baseline?: Totals): string {
  const header = ['design', 'domain', 'flaws found', 'unplanted blocker/major', 'verdict', 'grounded', 'output tokens', 'cost', 'time'];
  const rows = scores.map((s) => [
    s.id,
    s.domain,
    `${s.found.length}/${s.flaws}${s.missed.length ? ` (missed ${s.missed.join(', ')})` : ''}`,
    String(s.unplanted.length),
    s.verdict.agrees ? `${s.verdict.given} ✓` : `${s.verdict.given ?? '—'} (expected ${s.verdict.expected})`,
    `${s.grounded}/${s.findings}`,
    String(s.outputTokens),
    s.costUsd === null ? '—' : `$${s.costUsd.toFixed(4)}`,
    `${(s.ms / 1000).toFixed(1)} s`,
  ]);
  const t = totalsOf(scores);
  const delta = (then: number | undefined, format: (n: number) => string) =>
    then === undefined ? '' : ` (baseline ${format(then)})`;
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `recall ${pct(t.recall)}${delta(baseline?.recall, pct)}; unplanted blocker/major findings ${t.unplanted}${delta(baseline?.unplanted, String)}; verdict agreement ${pct(t.verdictAgreement)}${delta(baseline?.verdictAgreement, pct)}; findings grounded ${pct(t.grounded)}${delta(baseline?.grounded, pct)}`,
    `output tokens ${t.outputTokens}${delta(baseline?.outputTokens, String)}; cost $${t.costUsd.toFixed(4)}${delta(baseline?.costUsd, (n) => `$${n.toFixed(4)}`)}; time ${(t.ms / 1000).toFixed(1)} s${delta(baseline?.ms, (n) => `${(n / 1000).toFixed(1)} s`)}`,
  ];
  return lines.join('\n');
}
