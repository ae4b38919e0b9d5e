import type { IngressDeps } from '../../ingress-deps';
import { queueOrTellRefusal } from '../../queue-consultation';
import { decideRequest } from '../../request-decision';
import { parseMentionText } from '../../request-text';
import { teamIdOf } from '../../team-id';
import { tellUser } from '../../tell-user';
import type { EventArgs } from '../listener-args';

/**
 * `@Architect …`: in a thread the whole thread is the context; at top level the mention starts a new
 * thread. Bolt has already acknowledged the event; the listener only queues.
 */
export function appMention(deps: IngressDeps) {
  return async ({ event, client, context, body }: EventArgs<'app_mention'>) => {
    // Other bots (and this one) never trigger reviews: that is how bot loops start.
    if (event.bot_id || event.subtype === 'bot_message' || !event.user) return;
    if (event.user === context.botUserId) return;
    const channel = event.channel;
    const threadTs = event.thread_ts ?? event.ts;
    const where = { channel, user: event.user, threadTs };
    const parsed = parseMentionText(event.text ?? '', context.botUserId);
    const decision = decideRequest(deps, parsed, Boolean(event.thread_ts));
    if (decision.kind === 'reply') return tellUser(client, deps.logger, where, decision.text);
    const { agentName, text } = decision;
    const teamId = teamIdOf(body, context);
    await queueOrTellRefusal(deps, client, where, {
      consultation: {
        trigger: 'mention',
        teamId,
        channelId: channel,
        userId: event.user,
        agentName,
        text,
        threadTs,
        messageTs: event.ts,
      },
      dedupKey: `mention:${channel}:${event.ts}`,
    });
  };
}
