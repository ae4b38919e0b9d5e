import { z } from 'zod';
import { decodeInteractionValue, InputId, ReviewModalMetadataSchema } from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import type { SubmissionArgs } from '../listener-args';

const StateSchema = z.object({
  [InputId.agent]: z.object({
    [InputId.agent]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }),
  }),
  [InputId.note]: z.object({ [InputId.note]: z.object({ value: z.string().nullish() }) }).optional(),
});

/**
 * "Review with Architect" submitted: the message is reviewed in its thread, exactly like the review
 * emoji, by the chosen agent and with the person's note as the focus. One review per form (deduped on
 * the view id); a refusal keeps the form open with the reason.
 */
export function reviewSubmission(deps: IngressDeps) {
  return async ({ ack, view, body }: SubmissionArgs): Promise<void> => {
    const meta = decodeInteractionValue(view.private_metadata, ReviewModalMetadataSchema, 3000);
    const state = StateSchema.safeParse(view.state.values);
    if (!meta.ok || !state.success) {
      await ack({ response_action: 'errors', errors: { [InputId.agent]: replies.staleButton } });
      return;
    }
    const chosen = state.data[InputId.agent][InputId.agent].selected_option?.value ?? deps.defaultAgent;
    const agent = deps.agents.get(chosen);
    if (!agent) {
      await ack({ response_action: 'errors', errors: { [InputId.agent]: replies.agentGone(chosen) } });
      return;
    }
    const note = state.data[InputId.note]?.[InputId.note].value?.trim() ?? '';
    const { channelId, messageTs, responseUrl } = meta.value;
    const outcome = await queueConsultation(
      deps,
      {
        trigger: 'shortcut',
        teamId: body.team?.id ?? body.user.team_id ?? '',
        channelId,
        userId: body.user.id,
        agentName: agent.name,
        text: note,
        messageTs,
        ...(responseUrl ? { responseUrl } : {}),
      },
      `shortcut:${view.id}`,
    );
    if (outcome.queued || !outcome.refusal) {
      await ack();
      return;
    }
    await ack({ response_action: 'errors', errors: { [InputId.note]: replies.refusal(outcome.refusal) } });
  };
}
