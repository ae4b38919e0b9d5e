import { errorMessage } from '../../../lib/error-message';
import { suggestedPrompts } from '../../../rendering/suggested-prompts';
import { viewedContextOf } from '../../../stores/viewed-context';
import type { IngressDeps } from '../../ingress-deps';
import { teamIdOf } from '../../team-id';
import type { EventArgs } from '../listener-args';

/**
 * Opening Architect's DM under the agent view (app_home_opened with tab "messages"): the suggested
 * prompts for the agents loaded, set for the DM itself (without thread_ts, which Slack's docs say makes
 * the call fail silently for an agent app), and what the person is looking at, for "review this".
 */
export function messagesTabOpened(deps: IngressDeps) {
  return async ({ event, client, context, body }: EventArgs<'app_home_opened'>) => {
    if (event.tab !== 'messages') return;
    const teamId = teamIdOf(body, context);
    const log = deps.logger.child({ teamId, userId: event.user, component: 'agent-dm' });
    const viewed = viewedContextOf(event.context);
    if (viewed)
      await deps.viewedContexts
        ?.save(teamId, event.user, viewed)
        .catch((error: unknown) =>
          log.warn({ err: errorMessage(error) }, 'could not save the viewed context'),
        );
    const { title, prompts } = suggestedPrompts(deps.agents.list(), deps.defaultAgent);
    await client.assistant.threads.setSuggestedPrompts({ channel_id: event.channel, title, prompts });
    log.debug({ prompts: prompts.length }, 'suggested prompts set');
  };
}
