import type { AllMiddlewareArgs, BlockStaticSelectAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AskAgentValueSchema, decodeInteractionValue } from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
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
    const outcome = await queueConsultation(
      deps,
      {
        requestId: deps.newRequestId(),
        trigger: 'rerun',
        teamId: record.teamId,
        channelId: record.channelId,
        userId: body.user.id,
        agentName: agent.name,
        text: '',
        threadTs: record.threadTs,
        requestedAt: Date.now(),
        answeredQuestions: record.answered,
        previousRequestId: record.requestId,
      },
      `rerun:${record.requestId}:${agent.name}:${action.action_ts}`,
    );
    if (!outcome.queued && outcome.refusal)
      await tellUser(client, deps.logger, where, replies.refusal(outcome.refusal));
  };
}
