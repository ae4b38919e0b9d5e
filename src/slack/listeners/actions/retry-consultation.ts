import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { QueueUnavailableError } from '../../../queue/consultation-queue';
import { admitConsultation } from '../../admission';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';

/**
 * The Retry button on a failed review: queues the same request again, reusing the failed message as
 * the placeholder. The request is found by the id in the button's value, so any replica can serve it.
 */
export function retryConsultation(deps: IngressDeps) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
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
    const who = { teamId: original.teamId, channelId: original.channelId, userId: body.user.id };
    const admitted = await admitConsultation(deps, who, `retry:${failedRequestId}`);
    if (!admitted.ok)
      return admitted.message ? tellUser(client, deps.logger, where, admitted.message) : undefined;
    const requestId = deps.newRequestId();
    const log = deps.logger.child({
      requestId,
      retryOf: failedRequestId,
      trigger: original.trigger,
      agent: original.agentName,
    });
    try {
      const { deliveredTs: _delivered, ...rest } = original;
      await deps.queue.enqueue(
        { ...rest, requestId, placeholderTs: messageTs, requestedAt: Date.now() },
        `retry:${failedRequestId}`,
      );
      log.info('consultation queued again');
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      log.error({ err: String(error.cause) }, 'could not queue retry');
      await tellUser(client, deps.logger, where, replies.queueUnavailable);
    }
  };
}
