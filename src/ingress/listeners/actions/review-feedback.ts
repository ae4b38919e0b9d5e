import { z } from 'zod';
import { errorMessage } from '../../../lib/error-message';
import { decodeInteractionValue, FeedbackValueSchema } from '../../../rendering/interactions';
import { admitClick, clickOf } from '../../click-admission';
import type { IngressDeps } from '../../ingress-deps';
import type { BlockActionArgs } from '../listener-args';

/** Slack's feedback_buttons send the clicked button's value; the shape is parsed, not assumed. */
const FeedbackActionSchema = z.object({ value: z.string() });

/**
 * 👍/👎 on a reply: acked at once, recorded with the review (who, when, which way; one vote per
 * person) and counted in architect_review_feedback_total. A vote on a review that expired is only acked.
 */
export function reviewFeedback(deps: IngressDeps) {
  return async ({ ack, body, action, context }: BlockActionArgs): Promise<void> => {
    await ack();
    const raw = FeedbackActionSchema.safeParse(action);
    const value = raw.success ? decodeInteractionValue(raw.data.value, FeedbackValueSchema, 2000) : undefined;
    if (!value?.ok) return;
    const { requestId, vote } = value.value;
    // A vote is recorded only from where the review lives, by someone the allowlists let in.
    const stored = await deps.reviews.get(requestId).catch(() => undefined);
    if (!stored) return;
    const admitted = await admitClick(deps, stored, clickOf(body, context), {
      costs: false,
      requestKey: `vote:${requestId}:${body.user.id}`,
    });
    if (!admitted.ok) return;
    const record = await deps.reviews
      .recordFeedback(requestId, { userId: body.user.id, vote, at: Date.now() })
      .catch((error: unknown) => {
        deps.logger.warn({ err: errorMessage(error) }, 'could not record feedback');
        return undefined;
      });
    if (!record) return;
    deps.metrics?.recordFeedback(record.agentName, record.review?.kind ?? 'review', vote);
    deps.logger.info({ requestId, vote }, 'feedback recorded');
  };
}
