import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import {
  AGENT_ACTION_ID,
  AGENT_BLOCK_ID,
  decodeInteractionValue,
  NOTE_ACTION_ID,
  NOTE_BLOCK_ID,
  ReviewModalMetadataSchema,
} from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';

const StateSchema = z.object({
  [AGENT_BLOCK_ID]: z.object({
    [AGENT_ACTION_ID]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }),
  }),
  [NOTE_BLOCK_ID]: z.object({ [NOTE_ACTION_ID]: z.object({ value: z.string().nullish() }) }).optional(),
});

/**
 * "Review with Architect" submitted: the message is reviewed in its thread, exactly like the review
 * emoji, by the chosen agent and with the person's note as the focus. One review per form (deduped on
 * the view id); a refusal keeps the form open with the reason.
 */
export function reviewSubmission(deps: IngressDeps) {
  return async ({
    ack,
    view,
    body,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const meta = decodeInteractionValue(view.private_metadata, ReviewModalMetadataSchema, 3000);
    const state = StateSchema.safeParse(view.state.values);
    if (!meta.ok || !state.success) {
      await ack({ response_action: 'errors', errors: { [AGENT_BLOCK_ID]: replies.staleButton } });
      return;
    }
    const chosen = state.data[AGENT_BLOCK_ID][AGENT_ACTION_ID].selected_option?.value ?? deps.defaultAgent;
    const agent = deps.agents.get(chosen);
    if (!agent) {
      await ack({ response_action: 'errors', errors: { [AGENT_BLOCK_ID]: replies.agentGone(chosen) } });
      return;
    }
    const note = state.data[NOTE_BLOCK_ID]?.[NOTE_ACTION_ID].value?.trim() ?? '';
    const { channelId, messageTs, responseUrl } = meta.value;
    const outcome = await queueConsultation(
      deps,
      {
        requestId: deps.newRequestId(),
        trigger: 'shortcut',
        teamId: body.team?.id ?? body.user.team_id ?? '',
        channelId,
        userId: body.user.id,
        agentName: agent.name,
        text: note,
        messageTs,
        requestedAt: Date.now(),
        ...(responseUrl ? { responseUrl } : {}),
      },
      `shortcut:${view.id}`,
    );
    if (outcome.queued || !outcome.refusal) {
      await ack();
      return;
    }
    await ack({ response_action: 'errors', errors: { [NOTE_BLOCK_ID]: replies.refusal(outcome.refusal) } });
  };
}
