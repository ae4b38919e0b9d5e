import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { QueueUnavailableError } from '../../../queue/consultation-queue';
import { admitConsultation } from '../../admission';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
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
    const requestId = deps.newRequestId();
    const teamId =
      ('team_id' in body && typeof body.team_id === 'string' ? body.team_id : context.teamId) ?? '';
    const admitted = await admitConsultation(
      deps,
      { teamId, channelId: channel, userId: event.user },
      `reaction:${channel}:${ts}:${event.reaction}`,
    );
    if (!admitted.ok) {
      if (admitted.message)
        await tellUser(client, deps.logger, { channel, user: event.user }, admitted.message);
      return;
    }
    const log = deps.logger.child({
      requestId,
      trigger: 'reaction',
      agent: agent.name,
      teamId,
      channelId: channel,
    });
    try {
      const result = await deps.queue.enqueue(
        {
          requestId,
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
      log.info(
        { status: result.status },
        result.status === 'queued' ? 'consultation queued' : 'duplicate delivery ignored',
      );
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      log.error({ err: String(error.cause) }, 'could not queue consultation');
      await tellUser(client, deps.logger, { channel, user: event.user }, replies.queueUnavailable);
    }
  };
}
