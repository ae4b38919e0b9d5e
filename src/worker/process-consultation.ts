import { ConsultationError } from '../consultation/claude-consultant';
import { askClaude } from './ask-claude';
import type { ConsultationOutcome, ConsultationRun } from './consultation-run';
import { deliverReview } from './deliver-review';
import { gatherContext } from './gather-context';
import { openThread } from './open-thread';
import { startProgress } from './progress/consultation-progress';
import { recordConsultation } from './record-consultation';
import { ReviewThread } from './review-thread';
import type { WorkerDeps } from './worker-deps';

export type { ConsultationOutcome };

/**
 * One consultation, as the README's "How a request flows" tells it: open the thread → gather the
 * context → ask Claude → deliver the review → record it. Every message posted is checkpointed in the
 * run first, so an attempt retried after a crash updates the same messages and never posts twice.
 */
export async function processConsultation(
  run: ConsultationRun,
  deps: WorkerDeps,
  signal?: AbortSignal,
): Promise<ConsultationOutcome> {
  const thread = new ReviewThread(deps.slack, run, deps.responseUrls);
  await thread.removeLeftoverStream();
  // Checked before anything is posted or updated: a delivered review must never be overwritten.
  if (run.data.deliveredTs?.length) {
    run.log.info('review already delivered by an earlier attempt');
    return 'already_delivered';
  }
  // An earlier attempt posted the reply and stopped before removing the placeholder: finish that.
  if (run.data.replyTs) {
    await thread.finishDelivery(run.data.replyTs, run.data.placeholderTs);
    return 'already_delivered';
  }

  const opened = await openThread(run, deps, thread);
  if ('outcome' in opened) return opened.outcome;
  const agent = deps.agents.get(run.data.agentName);
  if (!agent) {
    run.log.warn('agent no longer loaded');
    const reason = `The agent “${run.data.agentName}” is no longer available. Ask again to use another agent.`;
    return thread.fail(opened.placeholderTs, reason, false);
  }

  const progress = await startProgress(run, deps, thread, opened, agent);
  try {
    // A reply checkpointed by an earlier attempt is posted again, never asked for again.
    const reply =
      run.data.reply ??
      (await askClaude(
        run,
        deps,
        agent,
        await gatherContext(run, deps, opened, agent, progress),
        progress,
        signal,
      ));
    await progress.stop();
    const delivered = await deliverReview(run, deps, thread, opened, agent, reply);
    await progress.clear();
    await recordConsultation(run, deps, reply, delivered);
    return 'delivered';
  } catch (error) {
    await progress.fail(
      error instanceof ConsultationError ? error.userMessage : 'the review was interrupted',
    );
    await progress.clear();
    // A cancelled job goes back to the queue; it has not failed.
    if (!(error instanceof ConsultationError) || signal?.aborted) throw error;
    run.log.warn(
      { code: error.code, err: error.cause instanceof Error ? error.cause.message : undefined },
      'consultation failed',
    );
    return thread.fail(opened.placeholderTs, error.userMessage, true);
  }
}
