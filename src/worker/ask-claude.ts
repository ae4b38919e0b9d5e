import type { Agent } from '../agents/agent';
import type { ConsultationOutcome } from '../consultation/claude-consultant';
import { errorMessage } from '../lib/error-message';
import type { ConsultationRun } from './consultation-run';
import type { GatheredContext } from './gather-context';
import type { ConsultationProgress } from './progress/consultation-progress';
import { summaryOf } from './progress/progress-reporter';
import { summaryInPartialJson } from './progress/summary-stream';
import type { WorkerDeps } from './worker-deps';

/** Claude's validated review, with when the request to Claude began. */
export type ClaudeAnswer = ConsultationOutcome & { startedAt: number };

/**
 * The third stage: asks Claude for the structured review, showing the summary as it is written, and
 * accounts for the tokens (metrics and the workspace's daily spend).
 */
export async function askClaude(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'consultant' | 'metrics' | 'costGuard'>,
  agent: Agent,
  context: GatheredContext,
  progress: ConsultationProgress,
  signal?: AbortSignal,
): Promise<ClaudeAnswer> {
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
      const summary = summaryInPartialJson(json);
      progress.report({
        phase: 'writing',
        summary: summary?.text ?? summaryOf(partial),
        summaryDone: summary?.complete ?? false,
      });
    },
  });
  deps.metrics?.recordClaude(answer.model, Date.now() - startedAt, answer.usage);
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = answer.usage;
  await deps.costGuard
    ?.recordTokens(run.data.teamId, inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens)
    .catch((e: unknown) => run.log.warn({ err: errorMessage(e) }, 'could not record token spend'));
  return { ...answer, startedAt };
}
