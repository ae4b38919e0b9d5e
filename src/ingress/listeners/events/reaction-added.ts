import type { IngressDeps } from '../../ingress-deps';
import { queueOrTellRefusal } from '../../queue-consultation';
import { teamIdOf } from '../../team-id';
import type { EventArgs } from '../listener-args';

/** The review emoji (or an agent's own) on a message: a review of that message, in its thread. */
export function reactionAdded(deps: IngressDeps) {
  return async ({ event, client, context, body }: EventArgs<'reaction_added'>) => {
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
    await queueOrTellRefusal(
      deps,
      client,
      { channel, user: event.user },
      {
        consultation: {
          trigger: 'reaction',
          teamId,
          channelId: channel,
          userId: event.user,
          agentName: agent.name,
          text: '',
          messageTs: ts,
        },
        dedupKey: `reaction:${channel}:${ts}:${event.reaction}`,
      },
    );
  };
}
