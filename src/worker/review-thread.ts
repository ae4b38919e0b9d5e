import type { WebClient } from '@slack/web-api';
import type { GroundedReview } from '../domain/review';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';
import type { ConsultationJob } from '../queue/consultation-job';
import { renderAnswers } from '../rendering/answers-message';
import type { ReplyMeta } from '../rendering/reply-meta';
import { type ReplyDetail, renderReply } from '../rendering/review-message';
import type { SlackMessage } from '../rendering/slack-message';
import {
  GAVE_UP_REASON,
  REVIEWING_STATUS,
  renderFailure,
  renderPlaceholder,
  renderRequestRoot,
} from '../rendering/status-messages';
import { atPriority } from '../slack/call-priority';
import type { ResponseUrlClient } from '../slack/response-url';
import { slackErrorCode } from '../slack/slack-errors';
import { ON_BEHALF_EVENT_TYPE } from '../slack/thread-reader';
import type { ConsultationRun } from './consultation-run';

/** Slack errors that say the layout, not the moment, is wrong: retrying the same message cannot help. */
const LAYOUT_REFUSALS = new Set(['msg_blocks_too_long', 'invalid_blocks', 'msg_too_long']);

/**
 * Every message the worker writes in a consultation's thread: the command's root, the answers, the
 * placeholder, the reply or its failure, the status line and the requester's private notes. Each new
 * message is checkpointed in the run before anything else happens, so a retried attempt updates it
 * instead of posting it again.
 */
export class ReviewThread {
  private prepareDelivery: (() => Promise<void>) | undefined;

  constructor(
    private readonly slack: WebClient,
    private readonly run: ConsultationRun,
    private readonly responseUrls?: Pick<ResponseUrlClient, 'sendEphemeral'>,
  ) {}

  private get channel(): string {
    return this.run.request.channelId;
  }

  /**
   * Deletes the summary stream an earlier attempt left behind (the placeholder alone holds progress),
   * and its steps when it had already posted the reply (they go after it, so a crash can leave them).
   */
  async removeLeftoverStream(): Promise<void> {
    const { streamTs, stepsTs, replyTs } = this.run.checkpoints;
    if (stepsTs && replyTs) {
      await deleteLeftover(this.slack, this.channel, stepsTs, this.run.log);
      await this.run.checkpoint({ stepsTs: undefined });
    }
    if (!streamTs) return;
    await deleteLeftover(this.slack, this.channel, streamTs, this.run.log);
    await this.run.checkpoint({ streamTs: undefined });
  }

  /** Posts a slash command's request as the thread's root message, once. */
  async postRoot(): Promise<string> {
    const { userId, text, agentName } = this.run.request;
    const ts = await atPriority('sign_of_life', () =>
      postMessage(
        this.slack,
        this.channel,
        undefined,
        renderRequestRoot({ userId, text, agentName }),
        // The requester's text, not the bot's: a later review must not take it for what Architect said.
        { event_type: ON_BEHALF_EVENT_TYPE, event_payload: { user_id: userId } },
      ),
    );
    await this.run.checkpoint({ threadTs: ts });
    return ts;
  }

  /** Posts a follow-up's answers in the name of who gave them (kept as message metadata), once. */
  async postAnswers(threadTs: string): Promise<void> {
    const { userId, answers } = this.run.request;
    const { answersTs } = this.run.checkpoints;
    if (!answers?.length || answersTs) return;
    const ts = await atPriority('sign_of_life', () =>
      postMessage(this.slack, this.channel, threadTs, renderAnswers({ userId, answers }), {
        event_type: ON_BEHALF_EVENT_TYPE,
        event_payload: { user_id: userId },
      }),
    );
    await this.run.checkpoint({ answersTs: ts });
  }

  /** Shows "… is reviewing" in the thread: the earlier attempt's placeholder again, or a new one. */
  async showPlaceholder(threadTs: string): Promise<string> {
    const message = renderPlaceholder(this.run.request.agentName);
    // A Retry takes over the failed review's message as its placeholder.
    const existing = this.run.checkpoints.placeholderTs ?? this.run.request.failedMessageTs;
    if (existing) {
      await atPriority('sign_of_life', () => updateMessage(this.slack, this.channel, existing, message));
      if (existing !== this.run.checkpoints.placeholderTs)
        await this.run.checkpoint({ placeholderTs: existing });
      return existing;
    }
    const ts = await atPriority('sign_of_life', () =>
      postMessage(this.slack, this.channel, threadTs, message),
    );
    await this.run.checkpoint({ placeholderTs: ts });
    return ts;
  }

  /** Runs just before the review takes the placeholder's place: progress that must be gone by then. */
  beforeDelivery(fn: () => Promise<void>): void {
    this.prepareDelivery = fn;
  }

  /**
   * Posts the reply as a new message in the thread (Slack notifies no one of an edit), then deletes the
   * placeholder. A layout Slack refuses (`msg_blocks_too_long`, `invalid_blocks`, `msg_too_long`) is
   * not retried as it is: the reply is posted shorter, then as text, and is never lost to it.
   */
  async deliver(placeholderTs: string, review: GroundedReview, meta: ReplyMeta): Promise<string[]> {
    const threadTs = this.run.threadTs;
    let replyTs = this.run.checkpoints.replyTs;
    if (!replyTs) {
      await this.prepareDelivery?.();
      replyTs = await this.postReply(threadTs, review, meta);
      await this.run.checkpoint({ replyTs });
    }
    await this.finishDelivery(replyTs, placeholderTs);
    return [replyTs];
  }

  /**
   * The reply is in the thread: the placeholder goes (one already gone is fine) and the run is marked
   * delivered. Also how an attempt resumes one that stopped between posting the reply and this.
   */
  async finishDelivery(replyTs: string, placeholderTs: string | undefined): Promise<void> {
    // The reply is in: the placeholder's removal is no longer what anyone waits for.
    if (placeholderTs)
      await atPriority('sign_of_life', () =>
        deleteLeftover(this.slack, this.channel, placeholderTs, this.run.log),
      );
    await this.run.checkpoint({ deliveredTs: [replyTs] });
  }

  private async postReply(
    threadTs: string | undefined,
    review: GroundedReview,
    meta: ReplyMeta,
  ): Promise<string> {
    const details: ReplyDetail[] = ['compact', 'minimal', 'text'];
    for (const [i, detail] of details.entries()) {
      try {
        return await postMessage(this.slack, this.channel, threadTs, renderReply(review, meta, detail));
      } catch (error) {
        const code = slackErrorCode(error) ?? '';
        if (!LAYOUT_REFUSALS.has(code) || i === details.length - 1) throw error;
        this.run.log.warn({ code, detail }, 'Slack refused the reply as laid out; posting it shorter');
      }
    }
    throw new Error('unreachable: the last layout either posts or throws');
  }

  /** Replaces the placeholder with a plain-language failure, with Retry when retrying can help. */
  async fail(placeholderTs: string, reason: string, retryable: boolean): Promise<'failed'> {
    const { agentName, requestId } = this.run.request;
    await updateMessage(
      this.slack,
      this.channel,
      placeholderTs,
      renderFailure({ agentName, reason, ...(retryable ? { retryValue: requestId } : {}) }),
    );
    await this.run.checkpoint({ deliveredTs: [placeholderTs] });
    return 'failed';
  }

  /**
   * Shows Slack's native "is working" status line under the thread (assistant.threads.setStatus, which
   * works in channel threads with chat:write). Best effort: a workspace without it still gets its review.
   */
  showStatus(threadTs: string): Promise<void> {
    return this.setStatus(threadTs, REVIEWING_STATUS.status, REVIEWING_STATUS.loadingMessages);
  }

  /** Clears the status line; Slack clears it by itself only when the bot posts a new reply. */
  clearStatus(threadTs: string): Promise<void> {
    return this.setStatus(threadTs, '');
  }

  /** An ephemeral note to the person who asked: through the command's response_url when there is one. */
  async tellRequester(text: string): Promise<void> {
    const { responseUrl, userId } = this.run.request;
    if (responseUrl && this.responseUrls && (await this.responseUrls.sendEphemeral(responseUrl, text)))
      return;
    const told = await this.slack.chat.postEphemeral({ channel: this.channel, user: userId, text }).then(
      () => true,
      (e: unknown) => {
        this.run.log.warn({ err: errorMessage(e) }, 'could not tell the requester in the channel');
        return false;
      },
    );
    if (told) return;
    // Where the bot can neither read nor post, its DM with the person still reaches them.
    await this.slack.chat
      .postMessage({ channel: userId, text })
      .catch((e: unknown) => this.run.log.warn({ err: errorMessage(e) }, 'could not tell the requester'));
  }

  private async setStatus(threadTs: string, status: string, loadingMessages?: string[]): Promise<void> {
    await atPriority('sign_of_life', () =>
      this.slack.assistant.threads.setStatus({
        channel_id: this.channel,
        thread_ts: threadTs,
        status,
        ...(loadingMessages ? { loading_messages: loadingMessages } : {}),
      }),
    ).catch((error: unknown) =>
      this.run.log.debug({ err: errorMessage(error) }, 'could not set the thread status'),
    );
  }
}

/**
 * Once BullMQ has given up on a job: its leftover streams go and the plain-language error, with Retry,
 * takes the placeholder's place, unless a review was delivered.
 */
export async function reportGaveUp(
  slack: WebClient,
  { request, checkpoints }: ConsultationJob,
): Promise<void> {
  for (const ts of [checkpoints.streamTs, checkpoints.stepsTs])
    if (ts) await slack.chat.delete({ channel: request.channelId, ts }).catch(() => undefined);
  // A posted reply stands: the failure never takes the place of a review the thread already shows.
  if (!checkpoints.placeholderTs || checkpoints.deliveredTs?.length || checkpoints.replyTs) return;
  await updateMessage(
    slack,
    request.channelId,
    checkpoints.placeholderTs,
    renderFailure({ agentName: request.agentName, reason: GAVE_UP_REASON, retryValue: request.requestId }),
  );
}

/** Deletes a message a crashed attempt left behind; one already gone is fine. */
async function deleteLeftover(slack: WebClient, channel: string, ts: string, log: Logger): Promise<void> {
  await slack.chat.delete({ channel, ts }).catch((error: unknown) => {
    if (slackErrorCode(error) === 'message_not_found') return;
    log.warn({ err: errorMessage(error) }, 'could not delete a leftover message');
  });
}

/** Posts a message (in a thread when `threadTs` is given) and returns its ts. */
async function postMessage(
  slack: WebClient,
  channel: string,
  threadTs: string | undefined,
  message: SlackMessage,
  metadata?: { event_type: string; event_payload: Record<string, string> },
): Promise<string> {
  const res = await slack.chat.postMessage({
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(metadata ? { metadata } : {}),
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  if (!res.ts) throw new Error('chat.postMessage answered without a ts');
  return res.ts;
}

async function updateMessage(
  slack: WebClient,
  channel: string,
  ts: string,
  message: SlackMessage,
): Promise<void> {
  await slack.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
}
