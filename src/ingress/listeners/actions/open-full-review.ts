import { errorMessage } from '../../../lib/error-message';
import { renderFullReviewMessages, renderFullReviewModal } from '../../../rendering/full-review';
import type { ReplyMeta } from '../../../rendering/reply-meta';
import type { ReviewRecord } from '../../../stores/review-store';
import { clickedReview } from '../../clicked-review';
import type { IngressDeps } from '../../ingress-deps';
import type { ButtonArgs } from '../listener-args';

/**
 * "Full review": opens the stored review, every section and finding, in a modal (within the click's
 * three seconds). Where Slack refuses the modal, the full review is posted in the thread instead, so
 * the click always gets the person the whole review.
 */
export function openFullReview(deps: IngressDeps) {
  return async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const record = await clickedReview(deps, client, { body, context, value: action.value });
    if (!record) return;
    const meta = metaOf(record);
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderFullReviewModal(record.review, meta),
      });
    } catch (error) {
      deps.logger.warn(
        { err: errorMessage(error) },
        'could not open the full review; posting it in the thread',
      );
      for (const message of renderFullReviewMessages(record.review, meta)) {
        await client.chat.postMessage({
          channel: record.channelId,
          thread_ts: record.threadTs,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
      }
    }
  };
}

function metaOf(record: ReviewRecord): ReplyMeta {
  const produced = record.produced;
  return {
    requestId: record.requestId,
    agentName: record.agentName,
    model: produced?.model ?? 'unknown model',
    durationMs: produced?.durationMs ?? Number.NaN,
    asOf: produced?.asOf ?? new Date(record.createdAt).toISOString().slice(0, 10),
    usage: produced?.usage ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    notes: produced?.notes ?? [],
  };
}
