import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import { parseMentionText } from '../../request-text';
import { teamIdOf } from '../../team-id';
import { tellUser } from '../../tell-user';

/**
 * `@Architect …`: in a thread the whole thread is the context; at top level the mention starts a new
 * thread. Bolt has already acknowledged the event; the listener only queues.
 */
export function appMention(deps: IngressDeps) {
  return async ({
    event,
    client,
    context,
    body,
  }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    // Other bots (and this one) never trigger reviews: that is how bot loops start.
    if (event.bot_id || event.subtype === 'bot_message' || !event.user) return;
    if (event.user === context.botUserId) return;
    const channel = event.channel;
    const threadTs = event.thread_ts ?? event.ts;
    const where = { channel, user: event.user, threadTs };
    const agents = deps.agents.list();
    const parsed = parseMentionText(event.text ?? '', context.botUserId);
    switch (parsed.kind) {
      case 'help':
        return tellUser(
          client,
          deps.logger,
          where,
          replies.help(deps.reviewReaction, agents, deps.defaultAgent),
        );
      case 'agents':
        return tellUser(client, deps.logger, where, replies.agentList(agents));
      case 'invalid':
        return tellUser(client, deps.logger, where, replies.usage(parsed.problem, agents));
    }
    // `--agent startup-cto` may name `Startup CTO`; the name as written is the one shown and queued.
    const agentName =
      deps.agents.get(parsed.agentName ?? deps.defaultAgent)?.name ?? parsed.agentName ?? deps.defaultAgent;
    if (!deps.agents.get(agentName))
      return tellUser(client, deps.logger, where, replies.unknownAgent(agentName, agents));
    if (!parsed.text && !event.thread_ts)
      return tellUser(client, deps.logger, where, replies.emptyRequest(agents));

    const teamId = teamIdOf(body, context);
    const outcome = await queueConsultation(
      deps,
      {
        requestId: deps.newRequestId(),
        trigger: 'mention',
        teamId,
        channelId: channel,
        userId: event.user,
        agentName,
        text: parsed.text,
        threadTs,
        messageTs: event.ts,
        requestedAt: Date.now(),
      },
      `mention:${channel}:${event.ts}`,
    );
    if (!outcome.queued && outcome.refusal)
      await tellUser(client, deps.logger, where, replies.refusal(outcome.refusal));
  };
}
