import { clickOf, sameContext } from '../../click-admission';
import type { IngressDeps } from '../../ingress-deps';
import { queueOrTellRefusal } from '../../queue-consultation';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';
import type { ButtonArgs } from '../listener-args';

/**
 * The Retry button on a failed review: queues the same request again, reusing the failed message as
 * the placeholder, admitted as the person who clicks (anyone in the channel can see the button). The
 * request is found by the id in the button's value, so any replica can serve it.
 */
export function retryConsultation(deps: IngressDeps) {
  return async ({ ack, body, action, client, context }: ButtonArgs) => {
    await ack();
    const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
    const failedRequestId = action.value ?? '';
    const messageTs = body.message?.ts;
    const original = failedRequestId
      ? await deps.queue.findRequest(failedRequestId).catch(() => undefined)
      : undefined;
    if (!original || !messageTs) {
      return tellUser(client, deps.logger, where, replies.retryExpired);
    }
    const click = clickOf(body, context);
    if (!sameContext(original.request, click))
      return tellUser(client, deps.logger, where, replies.wrongPlace);
    // The retry is a new request (its own id and time, given when it is queued) for the same thread.
    const { requestId: _failed, requestedAt: _asked, ...request } = original.request;
    const threadTs = original.checkpoints.threadTs ?? request.threadTs;
    await queueOrTellRefusal(deps, client, where, {
      consultation: { ...request, ...(threadTs ? { threadTs } : {}), failedMessageTs: messageTs },
      dedupKey: `retry:${failedRequestId}`,
      // The person who clicks asks: their allowlists, their hourly limit, their workspace's budget.
      admitAs: { teamId: click.teamId, channelId: original.request.channelId, userId: body.user.id },
      organisation: original.request,
    });
  };
}
