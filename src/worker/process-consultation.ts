import { ConsultationError } from '../consultation/claude-consultant';
import type { ByteHold } from '../lib/byte-budget';
import { renderAgentGone } from '../rendering/status-messages';
import { askClaude } from './ask-claude';
import type { ConsultationOutcome, ConsultationRun } from './consultation-run';
import { deliverReview } from './deliver-review';
import { gatherContext } from './gather-context';
import { openThread } from './open-thread';
import { startProgress } from './progress/consultation-progress';
import { recordConsultation } from './record-consultation';
import { ReviewThread } from './review-thread';
import type { RunContext, StageContext } from './stage-context';
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
  // The files this consultation reads count against the process's budget until it ends.
  const hold = deps.context?.fileBytes?.hold();
  try {
    return await consult(run, withFileHold(deps, hold), signal);
  } finally {
    hold?.release();
  }
}

function withFileHold(deps: WorkerDeps, hold: ByteHold | undefined): WorkerDeps {
  const files = deps.context?.files;
  if (!hold || !files || !deps.context) return deps;
  return { ...deps, context: { ...deps.context, files: files.holding(hold) } };
}

async function consult(
  run: ConsultationRun,
  deps: WorkerDeps,
  signal: AbortSignal | undefined,
): Promise<ConsultationOutcome> {
  const ctx: RunContext = { run, deps, thread: new ReviewThread(deps.slack, run, deps.responseUrls), signal };
  const resumed = await resumeEarlierAttempt(ctx);
  if (resumed) return resumed;

  const opened = await openThread(ctx);
  if ('outcome' in opened) return opened.outcome;
  const agent = deps.agents.get(run.request.agentName);
  if (!agent) {
    run.log.warn('agent no longer loaded');
    return ctx.thread.fail(opened.placeholderTs, renderAgentGone(run.request.agentName), false);
  }
  const stage: StageContext = { ...ctx, opened, agent, progress: await startProgress(ctx, opened, agent) };

  try {
    // A reply checkpointed by an earlier attempt is posted again, never asked for again.
    let reply = run.checkpoints.reply;
    if (!reply) {
      const context = await gatherContext(stage);
      reply = await askClaude(stage, context);
    }
    await stage.progress.stop();
    // The workspace may have uninstalled the app while Claude wrote: then nothing is stored or posted.
    if (!(await stillInstalled(run, deps))) {
      run.log.info('the workspace uninstalled Architect during the review; nothing delivered');
      return 'uninstalled';
    }
    const delivered = await deliverReview(stage, reply);
    await stage.progress.clear();
    await recordConsultation(stage, reply, delivered);
    return 'delivered';
  } catch (error) {
    return failed(stage, error);
  }
}

/** OAuth mode: whether an installation still serves the job's workspace (always, with one workspace). */
async function stillInstalled(run: ConsultationRun, deps: WorkerDeps): Promise<boolean> {
  if (!deps.slackFor) return true;
  const { teamId, enterpriseId, isEnterpriseInstall } = run.request;
  return (await deps.slackFor({ teamId, enterpriseId, isEnterpriseInstall })) !== undefined;
}

/**
 * What an earlier attempt left: its summary stream goes; a review it delivered stands; a reply it
 * posted without removing the placeholder is finished. Checked before anything is posted or updated:
 * a delivered review must never be overwritten.
 */
async function resumeEarlierAttempt({ run, thread }: RunContext): Promise<ConsultationOutcome | undefined> {
  await thread.removeLeftoverStream();
  if (run.checkpoints.deliveredTs?.length) {
    run.log.info('review already delivered by an earlier attempt');
    return 'already_delivered';
  }
  if (run.checkpoints.replyTs) {
    await thread.finishDelivery(run.checkpoints.replyTs, run.checkpoints.placeholderTs);
    return 'already_delivered';
  }
  return undefined;
}

/** The placeholder says what went wrong, with Retry; a cancelled job goes back to the queue instead. */
async function failed({ run, thread, opened, progress, signal }: StageContext, error: unknown) {
  await progress.fail(error instanceof ConsultationError ? error.userMessage : 'the review was interrupted');
  await progress.clear();
  if (!(error instanceof ConsultationError) || signal?.aborted) throw error;
  run.log.warn(
    { code: error.code, err: error.cause instanceof Error ? error.cause.message : undefined },
    'consultation failed',
  );
  return thread.fail(opened.placeholderTs, error.userMessage, true);
}
