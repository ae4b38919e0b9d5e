import type { AllMiddlewareArgs, BlockStaticSelectAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { QueueUnavailableError } from '../../../queue/consultation-queue';
import { AskAgentValueSchema, decodeInteractionValue } from '../../../rendering/interaction-values';
import { admitConsultation } from '../../admission';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';

/** "Ask another agent": the same thread reviewed again by the chosen agent. */
export function askAnotherAgent(deps: IngressDeps) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockStaticSelectAction> & AllMiddlewareArgs) => {
    await ack();
    const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
    const decoded = decodeInteractionValue(action.selected_option?.value, AskAgentValueSchema, 150);
    if (!decoded.ok) return tellUser(client, deps.logger, where, replies.staleButton);
    const record = await deps.reviews.get(decoded.value.requestId).catch(() => undefined);
    if (!record) return tellUser(client, deps.logger, where, replies.reviewGone);
    const agent = deps.agents.get(decoded.value.agent);
    if (!agent) return tellUser(client, deps.logger, where, replies.agentGone(decoded.value.agent));
    const requestKey = `rerun:${record.requestId}:${agent.name}:${action.action_ts}`;
    const who = { teamId: record.teamId, channelId: record.channelId, userId: body.user.id };
    const admitted = await admitConsultation(deps, who, requestKey);
    if (!admitted.ok)
      return admitted.message ? tellUser(client, deps.logger, where, admitted.message) : undefined;

    const requestId = deps.newRequestId();
    const log = deps.logger.child({
      requestId,
      trigger: 'rerun',
      agent: agent.name,
      teamId: record.teamId,
      channelId: record.channelId,
    });
    try {
      await deps.queue.enqueue(
        {
          requestId,
          trigger: 'rerun',
          teamId: record.teamId,
          channelId: record.channelId,
          userId: body.user.id,
          agentName: agent.name,
          text: '',
          threadTs: record.threadTs,
          requestedAt: Date.now(),
          answeredQuestions: record.answered,
        },
        `rerun:${record.requestId}:${agent.name}:${action.action_ts}`,
      );
      log.info('consultation queued');
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      log.error({ err: String(error.cause) }, 'could not queue consultation');
      await tellUser(client, deps.logger, where, replies.queueUnavailable);
    }
  };
}
