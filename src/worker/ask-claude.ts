import type { Agent } from '../agents/agent';
import { groundReview, sourceTextOf } from '../consultation/grounding';
import { todayIso } from '../consultation/prompt';
import { VerdictSchema } from '../consultation/review';
import { errorMessage } from '../lib/error-message';
import type { ConsultationReply } from '../queue/consultation-job';
import { VERDICT_LABELS } from '../rendering/review-labels';
import type { ConsultationRun } from './consultation-run';
import type { GatheredContext } from './gather-context';
import type { ConsultationProgress } from './progress/consultation-progress';
import { tldrOf } from './progress/progress-reporter';
import { fieldInPartialJson, tldrInPartialJson } from './progress/summary-stream';
import type { WorkerDeps } from './worker-deps';

/**
 * The third stage: asks Claude for the structured reply (showing the TL;DR as it is written), checks
 * each finding's quote against what Claude was given, accounts for the tokens, and checkpoints the
 * reply before anything is posted, so no Slack failure after this point ever calls Claude again.
 */
export async function askClaude(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'consultant' | 'metrics' | 'costGuard'>,
  agent: Agent,
  context: GatheredContext,
  progress: ConsultationProgress,
  signal?: AbortSignal,
): Promise<ConsultationReply> {
  progress.report({ phase: 'thinking' });
  run.log.info(
    { threadMessages: context.threadMessages, model: agent.model, ...context.stats },
    'consulting Claude',
  );
  const startedAt = Date.now();
  const answer = await deps.consultant.consult({
    ...(signal ? { signal } : {}),
    model: agent.model,
    system: context.system,
    messages: context.messages,
    onPartialReview: (partial, json) => {
      const tldr = tldrInPartialJson(json);
      progress.report({
        phase: 'writing',
        summary: verdictFirst(json, tldr?.text ?? tldrOf(partial) ?? ''),
        summaryDone: tldr?.complete ?? false,
      });
    },
  });
  const claudeMs = Date.now() - startedAt;
  deps.metrics?.recordClaude(answer.model, claudeMs, answer.usage);
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = answer.usage;
  await deps.costGuard
    ?.recordTokens(run.data.teamId, inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens)
    .catch((e: unknown) => run.log.warn({ err: errorMessage(e) }, 'could not record token spend'));
  const review = groundReview(answer.review, sourceTextOf(context.messages));
  const verified = review.findings.filter((f) => f.verified).length;
  deps.metrics?.recordFindings(verified, review.findings.length - verified);
  const reply: ConsultationReply = {
    review,
    model: answer.model,
    usage: answer.usage,
    claudeMs,
    asOf: todayIso(),
    notes: context.notes,
  };
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
  const lead = verdict.success
    ? `**${VERDICT_LABELS[verdict.data].label}** — ${headline.text}`
    : `**${headline.text}**`;
  return tldr ? `${lead}\n\n${tldr}` : lead;
}
