import type { BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { decodeInteractionValue, ReviewRefValueSchema } from '../rendering/interactions';
import type { ReviewRecord } from '../stores/review-store';
import type { IngressDeps } from './ingress-deps';
import { replies } from './replies';
import { tellUser } from './tell-user';

export type ReviewWithReview = ReviewRecord & { review: NonNullable<ReviewRecord['review']> };

/**
 * The stored review a reply's button ("Full review", "Save as ADR") is about. Undefined when the button
 * is out of date or the review expired, after telling the person so in the thread.
 */
export async function clickedReview(
  deps: Pick<IngressDeps, 'reviews' | 'logger'>,
  client: WebClient,
  body: BlockButtonAction,
  value: string | undefined,
): Promise<ReviewWithReview | undefined> {
  const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
  const ref = decodeInteractionValue(value, ReviewRefValueSchema, 2000);
  if (!ref.ok) {
    await tellUser(client, deps.logger, where, replies.staleButton);
    return undefined;
  }
  const record = await deps.reviews.get(ref.value.requestId).catch(() => undefined);
  if (!record?.review) {
    await tellUser(client, deps.logger, where, replies.reviewGone);
    return undefined;
  }
  return { ...record, review: record.review };
}
