import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import { teamIdOf } from '../../team-id';
import { tellUser } from '../../tell-user';

/** The review emoji (or an agent's own) on a message: a review of that message, in its thread. */
export function reactionAdded(deps: IngressDeps) {
  return async ({
    event,
    client,
    context,
    body,
  }: SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs) => {
    if (event.item.type !== 'message') return;
    const agent =
      event.reaction === deps.reviewReaction
        ? deps.agents.get(deps.defaultAgent)
        : deps.agents.byReaction(event.reaction);
    if (!agent) return;
    // The bot's own reactions and reactions on its own messages would make it review itself.
    if (event.user === context.botUserId || event.item_user === context.botUserId) return;

    const { channel, ts } = event.item;
    const teamId = teamIdOf(body, context);
    const outcome = await queueConsultation(
      deps,
      {
        requestId: deps.newRequestId(),
        trigger: 'reaction',
        teamId,
        channelId: channel,
        userId: event.user,
        agentName: agent.name,
        text: '',
        messageTs: ts,
        requestedAt: Date.now(),
      },
      `reaction:${channel}:${ts}:${event.reaction}`,
    );
    if (!outcome.queued && outcome.refusal) {
      await tellUser(client, deps.logger, { channel, user: event.user }, replies.refusal(outcome.refusal));
    }
  };
}
