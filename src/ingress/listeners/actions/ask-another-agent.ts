import { AskAgentValueSchema, decodeInteractionValue } from '../../../rendering/interactions';
import { clickOf, sameContext } from '../../click-admission';
import type { IngressDeps } from '../../ingress-deps';
import { queueOrTellRefusal } from '../../queue-consultation';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';
import type { SelectArgs } from '../listener-args';

/** "Ask another agent": the same thread reviewed again by the chosen agent. */
export function askAnotherAgent(deps: IngressDeps) {
  return async ({ ack, body, action, client, context }: SelectArgs) => {
    await ack();
    const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
    const decoded = decodeInteractionValue(action.selected_option?.value, AskAgentValueSchema, 150);
    if (!decoded.ok) return tellUser(client, deps.logger, where, replies.staleButton);
    const record = await deps.reviews.get(decoded.value.requestId).catch(() => undefined);
    if (!record) return tellUser(client, deps.logger, where, replies.reviewGone);
    const click = clickOf(body, context);
    if (!sameContext(record, click)) return tellUser(client, deps.logger, where, replies.wrongPlace);
    const agent = deps.agents.get(decoded.value.agent);
    if (!agent) return tellUser(client, deps.logger, where, replies.agentGone(decoded.value.agent));
    await queueOrTellRefusal(deps, client, where, {
      consultation: {
        trigger: 'rerun',
        teamId: record.teamId,
        channelId: record.channelId,
        userId: body.user.id,
        agentName: agent.name,
        text: '',
        threadTs: record.threadTs,
        answeredQuestions: record.answered,
        previousRequestId: record.requestId,
      },
      dedupKey: `rerun:${record.requestId}:${agent.name}:${action.action_ts}`,
      // The review's installation serves the job; the allowlists and limits are the clicker's.
      organisation: record,
    });
  };
}
