import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import { parseCommandText } from '../../request-text';

/**
 * `/architect …`: answers help and agents at once; queues a review and acks within Slack's 3 seconds.
 * The ack waits for the enqueue (a millisecond or two) so that a Redis outage is reported in it.
 */
export function architectCommand(deps: IngressDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const agents = deps.agents.list();
    const parsed = parseCommandText(command.text ?? '');
    const ephemeral = (text: string) => ack({ response_type: 'ephemeral', text });
    switch (parsed.kind) {
      case 'help':
        return ephemeral(replies.help(deps.reviewReaction, agents, deps.defaultAgent));
      case 'agents':
        return ephemeral(replies.agentList(agents));
      case 'invalid':
        return ephemeral(replies.usage(parsed.problem, agents));
    }
    // `--agent startup-cto` may name `Startup CTO`; the name as written is the one shown and queued.
    const agentName =
      deps.agents.get(parsed.agentName ?? deps.defaultAgent)?.name ?? parsed.agentName ?? deps.defaultAgent;
    if (!deps.agents.get(agentName)) return ephemeral(replies.unknownAgent(agentName, agents));
    if (!parsed.text) return ephemeral(replies.emptyRequest(agents));

    const outcome = await queueConsultation(
      deps,
      {
        requestId: deps.newRequestId(),
        trigger: 'command',
        teamId: command.team_id ?? context.teamId ?? '',
        channelId: command.channel_id,
        userId: command.user_id,
        agentName,
        text: parsed.text,
        requestedAt: Date.now(),
        ...(command.response_url ? { responseUrl: command.response_url } : {}),
      },
      `command:${command.trigger_id}`,
    );
    if (outcome.queued) return ephemeral(replies.queued(agentName));
    return outcome.refusal ? ephemeral(replies.refusal(outcome.refusal)) : ack();
  };
}
