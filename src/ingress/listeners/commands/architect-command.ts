import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import { decideRequest } from '../../request-decision';
import { parseCommandText } from '../../request-text';
import type { CommandArgs } from '../listener-args';

/**
 * `/architect …`: answers help and agents at once; queues a review and acks within Slack's 3 seconds.
 * The ack waits for the enqueue (a millisecond or two) so that a Redis outage is reported in it.
 */
export function architectCommand(deps: IngressDeps) {
  return async ({ command, ack, context }: CommandArgs): Promise<void> => {
    const ephemeral = (text: string) => ack({ response_type: 'ephemeral', text });
    const decision = decideRequest(deps, parseCommandText(command.text ?? ''), false);
    if (decision.kind === 'reply') return ephemeral(decision.text);
    const { agentName, text, saidReview } = decision;

    const outcome = await queueConsultation(
      deps,
      {
        trigger: 'command',
        teamId: command.team_id ?? context.teamId ?? '',
        channelId: command.channel_id,
        userId: command.user_id,
        agentName,
        text,
        ...(saidReview ? { askedForReview: true } : {}),
        ...(command.response_url ? { responseUrl: command.response_url } : {}),
      },
      `command:${command.trigger_id}`,
    );
    if (outcome.queued) return ephemeral(replies.queued(agentName));
    return outcome.refusal ? ephemeral(replies.refusal(outcome.refusal)) : ack();
  };
}
