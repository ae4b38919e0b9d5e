import { billedTokens, estimateConsultTokens } from '../access/claude-spend';
import { budgetSpentText } from '../access/limit-text';
import type { Agent } from '../agents/agent';
import { ConsultationError, type TokenUsage } from '../consultation/claude-consultant';
import { consultReview } from '../consultation/consult-review';
import { VerdictSchema } from '../domain/review';
import { ErrorCode } from '../errors';
import { errorMessage } from '../lib/error-message';
import type { ConsultationReply } from '../queue/consultation-job';
import { renderStreamedSummary } from '../rendering/progress-message';
import type { ConsultationRun } from './consultation-run';
import type { GatheredContext } from './gather-context';
import { tldrOf } from './progress/progress-reporter';
import { fieldInPartialJson, tldrInPartialJson } from './progress/summary-stream';
import type { StageContext } from './stage-context';
import type { WorkerDeps } from './worker-deps';

/**
 * The third stage: asks Claude for the structured reply (showing the TL;DR as it is written), checks
 * each finding's quote against what Claude was given, accounts for the tokens, and checkpoints the
 * reply before anything is posted, so no Slack failure after this point ever calls Claude again.
 */
export async function askClaude(
  { run, deps, agent, progress, signal }: StageContext,
  context: GatheredContext,
): Promise<ConsultationReply> {
  progress.report({ phase: 'thinking' });
  run.log.info(
    { threadMessages: context.threadMessages, model: agent.model, ...context.stats },
    'consulting Claude',
  );
  const reserved = await checkBudget(run, deps, agent, context);
  const reply: ConsultationReply = await consultReview(deps.consultant, {
    ...(signal ? { signal } : {}),
    model: agent.model,
    context,
    adrs: context.adrs,
    ...(context.refines ? { refines: context.refines } : {}),
    onPartialReview: (partial, json) => {
      const tldr = tldrInPartialJson(json);
      progress.report({
        phase: 'writing',
        summary: verdictFirst(json, tldr?.text ?? tldrOf(partial) ?? ''),
        summaryDone: tldr?.complete ?? false,
      });
    },
  }).catch(async (error: unknown) => {
    if (error instanceof ConsultationError) await spend(run, deps, agent.model, error.usage, false, reserved);
    throw error;
  });
  deps.metrics?.recordClaude(reply.model, reply.claudeMs, reply.usage);
  await spend(run, deps, undefined, reply.usage, true, reserved);
  const { findings } = reply.review;
  const verified = findings.filter((f) => f.verified).length;
  const absence = findings.filter((f) => f.aboutAbsence).length;
  deps.metrics?.recordFindings(verified, findings.length - verified - absence, absence);
  await run.checkpoint({ reply });
  return reply;
}

/**
 * What the thread shows while Claude writes: the verdict and headline as soon as they are complete
 * (they come first in the reply), then the TL;DR as it grows. Markdown, for the streamed message.
 */
export function verdictFirst(json: string, tldr: string): string {
  const headline = fieldInPartialJson(json, 'headline');
  if (!headline?.complete) return '';
  const verdict = VerdictSchema.safeParse(fieldInPartialJson(json, 'verdict')?.text);
  return renderStreamedSummary(
    { headline: headline.text, ...(verdict.success ? { verdict: verdict.data } : {}) },
    tldr,
  );
}

/**
 * Refuses before Claude is called when the workspace cannot afford this request today: a request that
 * waited in the queue may find the budget spent by others meanwhile.
 */
async function checkBudget(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'costGuard'>,
  agent: Agent,
  context: GatheredContext,
): Promise<number> {
  const guard = deps.costGuard;
  if (!guard) return 0;
  const estimate = estimateConsultTokens(context);
  // Reserved at once where the guard can: concurrent jobs see each other's estimates.
  const verdict = await (guard.reserve
    ? guard.reserve(run.request.teamId, estimate)
    : guard.canSpend(run.request.teamId, estimate).then((v) => ({ ...v, reserved: 0 }))
  ).catch(() => ({ ok: true as const, reserved: 0 }));
  if (verdict.ok) return verdict.reserved;
  run.log.info({ estimate, model: agent.model }, 'the workspace cannot afford this request today');
  throw new ConsultationError(
    ErrorCode.BudgetSpent,
    budgetSpentText(verdict.resetsAt, verdict.reason === 'cost_guard' ? verdict.scope : undefined),
  );
}

/** Counts what Claude billed against the workspace's day and in the metrics (failed attempts too). */
async function spend(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'metrics' | 'costGuard'>,
  model: string | undefined,
  usage: TokenUsage,
  metricsRecorded = false,
  /** What checkBudget reserved for this attempt: settled against what was billed. */
  reserved = 0,
): Promise<void> {
  if (!metricsRecorded && model) deps.metrics?.recordTokens(model, usage);
  const total = billedTokens(usage);
  const guard = deps.costGuard;
  const recorded =
    guard?.settle && reserved > 0
      ? guard.settle(run.request.teamId, reserved, total)
      : guard?.recordTokens(run.request.teamId, total);
  await recorded?.catch((e: unknown) =>
    run.log.warn({ err: errorMessage(e) }, 'could not record token spend'),
  );
}
