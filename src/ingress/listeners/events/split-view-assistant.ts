import { Assistant } from '@slack/bolt';
import { z } from 'zod';
import { errorMessage } from '../../../lib/error-message';
import { suggestedPrompts } from '../../../rendering/suggested-prompts';
import type { IngressDeps } from '../../ingress-deps';
import { directMessage } from './direct-message';

const ThreadContextSchema = z.object({
  assistant_thread: z.object({
    user_id: z.string(),
    context: z
      .object({
        channel_id: z
          .string()
          .regex(/^[A-Z0-9]+$/)
          .optional(),
      })
      .optional(),
  }),
});
const TeamSchema = z.object({ team_id: z.string() });

/**
 * The legacy split view (an app configured with `assistant_view`), through Bolt's Assistant: a new
 * assistant thread gets the suggested prompts for its own thread, the channel the person has open is
 * remembered for "review this", and their messages in the thread are DM requests like any other.
 */
export function splitViewAssistant(deps: IngressDeps): Assistant {
  const remember = async (payload: unknown, body: unknown, teamFallback: string | undefined) => {
    const thread = ThreadContextSchema.safeParse(payload);
    const channelId = thread.success ? thread.data.assistant_thread.context?.channel_id : undefined;
    if (!thread.success || !channelId) return;
    const team = TeamSchema.safeParse(body);
    await deps.viewedContexts
      ?.save(team.success ? team.data.team_id : (teamFallback ?? ''), thread.data.assistant_thread.user_id, {
        kind: 'channel',
        channelId,
      })
      .catch((error: unknown) =>
        deps.logger.warn({ err: errorMessage(error) }, 'could not save the viewed context'),
      );
  };
  return new Assistant({
    threadStarted: async ({ payload, body, context, setSuggestedPrompts }) => {
      await remember(payload, body, context.teamId);
      await setSuggestedPrompts(suggestedPrompts(deps.agents.list(), deps.defaultAgent));
    },
    threadContextChanged: async ({ payload, body, context }) => remember(payload, body, context.teamId),
    userMessage: directMessage(deps),
  });
}
