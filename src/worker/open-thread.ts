import type { QueuedRequest } from '../queue/consultation-job';
import { CANNOT_GO_AHEAD, viewedLabel } from '../rendering/status-messages';
import { isChannelClosed } from '../slack/slack-errors';
import type { ThreadMessage } from '../slack/thread-reader';
import type { ConsultationOutcome } from './consultation-run';
import type { RunContext } from './stage-context';
import type { WorkerDeps } from './worker-deps';

/** Where the consultation is answered: its thread, its placeholder, and the reacted-to message. */
export interface OpenedThread {
  threadTs: string;
  placeholderTs: string;
  /** For a reaction or a shortcut: the one message to review. */
  reacted?: ThreadMessage;
  /** For a DM's "review this": what the person was looking at, read in the DM thread's place. */
  viewed?: { messages: ThreadMessage[]; label: string };
}

/** How much of a channel a DM's "review this" reads when the person was looking at the channel. */
const VIEWED_CHANNEL_MESSAGES = 30;

/**
 * The first stage: finds the thread (posting a command's root once), posts a follow-up's answers and
 * shows the placeholder. Ends the consultation early when there is nothing more to do or nowhere to
 * do it, telling the requester why.
 */
export async function openThread(ctx: RunContext): Promise<OpenedThread | { outcome: ConsultationOutcome }> {
  const { run, thread } = ctx;
  const target = await resolveTarget(ctx);
  if ('problem' in target) {
    run.log.warn({ problem: target.problem }, 'the consultation cannot go ahead');
    await thread.tellRequester(target.problem);
    return { outcome: 'failed' };
  }
  const { threadTs, reacted, viewed } = target;
  if (run.checkpoints.threadTs !== threadTs) await run.checkpoint({ threadTs });

  if (run.request.trigger === 'followup') {
    await thread.postAnswers(threadTs);
    if (!run.request.rerun) {
      run.log.info('answers posted; no refined review asked for');
      return { outcome: 'delivered' };
    }
  }
  const placeholderTs = await thread.showPlaceholder(threadTs);
  return { threadTs, placeholderTs, ...(reacted ? { reacted } : {}), ...(viewed ? { viewed } : {}) };
}

/**
 * Where the review goes: a command's new thread, a mention's thread, or the thread of the message a
 * reaction was put on.
 */
async function resolveTarget({
  run,
  deps,
  thread,
}: RunContext): Promise<
  { threadTs: string; reacted?: ThreadMessage; viewed?: OpenedThread['viewed'] } | { problem: string }
> {
  const data = run.request;
  if (data.contextRef && data.threadTs) {
    const viewed = await readViewed(deps, data.contextRef).catch((error: unknown) => {
      if (isChannelClosed(error)) return undefined;
      throw error;
    });
    if (!viewed) return { problem: CANNOT_GO_AHEAD.cannotReadViewed(data.contextRef.channelId) };
    return viewed.messages.length
      ? { threadTs: data.threadTs, viewed }
      : { problem: CANNOT_GO_AHEAD.messageGone };
  }
  try {
    if (data.trigger === 'command') return { threadTs: run.threadTs ?? (await thread.postRoot()) };
    if (data.trigger !== 'reaction' && data.trigger !== 'shortcut')
      return data.threadTs ? { threadTs: data.threadTs } : { problem: CANNOT_GO_AHEAD.noThread };
    const reacted = data.messageTs
      ? await deps.reader.readMessage(data.channelId, data.messageTs)
      : undefined;
    return reacted
      ? { threadTs: reacted.threadTs ?? reacted.ts, reacted }
      : { problem: CANNOT_GO_AHEAD.messageGone };
  } catch (error) {
    // Retrying cannot help when the bot is not allowed in the channel; the person can fix it at once.
    if (isChannelClosed(error)) return { problem: CANNOT_GO_AHEAD.channelClosed };
    throw error;
  }
}

/** What a DM's "review this" points at: a message's whole thread, or the channel's latest messages. */
async function readViewed(
  deps: Pick<WorkerDeps, 'reader'>,
  ref: NonNullable<QueuedRequest['contextRef']>,
): Promise<NonNullable<OpenedThread['viewed']>> {
  if (!ref.messageTs) {
    const messages = await deps.reader.readRecent(ref.channelId, VIEWED_CHANNEL_MESSAGES);
    return { messages, label: viewedLabel(ref) };
  }
  const message = await deps.reader.readMessage(ref.channelId, ref.messageTs);
  if (!message) return { messages: [], label: '' };
  const messages = await deps.reader.readThread(ref.channelId, message.threadTs ?? message.ts);
  return { messages, label: viewedLabel(ref) };
}
