import type { ThreadMessage } from '../consultation/thread-reader';
import { isChannelClosed } from '../slack/slack-errors';
import type { ConsultationRun } from './consultation-run';
import type { ConsultationOutcome } from './process-consultation';
import type { ReviewThread } from './review-thread';
import type { WorkerDeps } from './worker-deps';

/** Where the consultation is answered: its thread, its placeholder, and the reacted-to message. */
export interface OpenedThread {
  threadTs: string;
  placeholderTs: string;
  /** For a reaction: the one message to review. */
  reacted?: ThreadMessage;
}

const CHANNEL_CLOSED = 'I can’t post in this channel. Invite me with `/invite @Architect` and ask again.';
const NO_THREAD = 'This request names no thread to answer in.';
const MESSAGE_GONE = 'I could not read the message you asked me to review: it may have been deleted.';

/**
 * The first stage: finds the thread (posting a command's root once), posts a follow-up's answers and
 * shows the placeholder. Ends the consultation early when there is nothing more to do or nowhere to
 * do it, telling the requester why.
 */
export async function openThread(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'reader'>,
  thread: ReviewThread,
): Promise<OpenedThread | { outcome: ConsultationOutcome }> {
  const target = await resolveTarget(run, deps, thread);
  if ('problem' in target) {
    run.log.warn({ problem: target.problem }, 'the consultation cannot go ahead');
    await thread.tellRequester(target.problem);
    return { outcome: 'failed' };
  }
  const { threadTs, reacted } = target;
  if (run.data.threadTs !== threadTs) await run.checkpoint({ threadTs });

  if (run.data.trigger === 'followup') {
    await thread.postAnswers(threadTs);
    if (!run.data.rerun) {
      run.log.info('answers posted; no refined review asked for');
      return { outcome: 'delivered' };
    }
  }
  const placeholderTs = await thread.showPlaceholder(threadTs);
  return { threadTs, placeholderTs, ...(reacted ? { reacted } : {}) };
}

/**
 * Where the review goes: a command's new thread, a mention's thread, or the thread of the message a
 * reaction was put on.
 */
async function resolveTarget(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'reader'>,
  thread: ReviewThread,
): Promise<{ threadTs: string; reacted?: ThreadMessage } | { problem: string }> {
  const data = run.data;
  try {
    if (data.trigger === 'command') return { threadTs: data.threadTs ?? (await thread.postRoot()) };
    if (data.trigger !== 'reaction')
      return data.threadTs ? { threadTs: data.threadTs } : { problem: NO_THREAD };
    const reacted = data.messageTs
      ? await deps.reader.readMessage(data.channelId, data.messageTs)
      : undefined;
    return reacted ? { threadTs: reacted.threadTs ?? reacted.ts, reacted } : { problem: MESSAGE_GONE };
  } catch (error) {
    // Retrying cannot help when the bot is not allowed in the channel; the person can fix it at once.
    if (isChannelClosed(error)) return { problem: CHANNEL_CLOSED };
    throw error;
  }
}
