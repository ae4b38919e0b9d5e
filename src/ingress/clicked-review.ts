import type { BlockButtonAction, Context } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { decodeInteractionValue, ReviewRefValueSchema } from '../rendering/interactions';
import type { ReviewRecord } from '../stores/review-store';
import { admitClickOrTell, clickOf } from './click-admission';
import type { IngressDeps } from './ingress-deps';
import { replies } from './replies';
import { tellUser } from './tell-user';

export type ReviewWithReview = ReviewRecord & { review: NonNullable<ReviewRecord['review']> };

/**
 * The stored review a reply's button ("Full review", "Save as ADR") is about, once the click is
 * admitted (same workspace, organisation and channel as the review; the allowlists). Undefined when
 * the button is out of date, the review expired or the click is refused, after telling the person why.
 */
export async function clickedReview(
  deps: Pick<IngressDeps, 'reviews' | 'logger' | 'access' | 'costGuard' | 'metrics'>,
  client: WebClient,
  click: { body: BlockButtonAction; context: Context; value: string | undefined },
): Promise<ReviewWithReview | undefined> {
  const { body } = click;
  const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
  const ref = decodeInteractionValue(click.value, ReviewRefValueSchema, 2000);
  if (!ref.ok) {
    await tellUser(client, deps.logger, where, replies.staleButton);
    return undefined;
  }
  const record = await deps.reviews.get(ref.value.requestId).catch(() => undefined);
  if (!record?.review) {
    await tellUser(client, deps.logger, where, replies.reviewGone);
    return undefined;
  }
  const admitted = await admitClickOrTell(deps, client, record, clickOf(body, click.context), {
    costs: false,
    requestKey: `click:${record.requestId}:${body.user.id}`,
    threadTs: where.threadTs,
  });
  return admitted ? { ...record, review: record.review } : undefined;
}
