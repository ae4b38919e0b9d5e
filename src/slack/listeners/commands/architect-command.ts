import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { QueueUnavailableError } from '../../../queue/consultation-queue';
import { admitConsultation } from '../../admission';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { parseCommandText } from '../../request-text';

/** `/architect …`: answers help and agents at once; queues a review and acks within Slack's 3 seconds. */
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
    const agentName = parsed.agentName ?? deps.defaultAgent;
    if (!deps.agents.get(agentName)) return ephemeral(replies.unknownAgent(agentName, agents));
    if (!parsed.text) return ephemeral(replies.emptyRequest(agents));
    const admitted = await admitConsultation(
      deps,
      {
        teamId: command.team_id ?? context.teamId ?? '',
        channelId: command.channel_id,
        userId: command.user_id,
      },
      `command:${command.trigger_id}`,
    );
    if (!admitted.ok) return admitted.message ? ephemeral(admitted.message) : ack();

    const requestId = deps.newRequestId();
    const log = deps.logger.child({
      requestId,
      trigger: 'command',
      agent: agentName,
      teamId: command.team_id,
      channelId: command.channel_id,
    });
    try {
      await deps.queue.enqueue(
        {
          requestId,
          trigger: 'command',
          teamId: command.team_id ?? context.teamId ?? '',
          channelId: command.channel_id,
          userId: command.user_id,
          agentName,
          text: parsed.text,
          requestedAt: Date.now(),
        },
        `command:${command.trigger_id}`,
      );
      log.info('consultation queued');
      return ephemeral(replies.queued(agentName));
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      log.error({ err: String(error.cause) }, 'could not queue consultation');
      return ephemeral(replies.queueUnavailable);
    }
  };
}
