import { z } from 'zod';
import { ADR_STATUSES } from '../../../adr/adr-document';
import { saveAdr } from '../../../adr/save-adr';
import { errorMessage } from '../../../lib/error-message';
import { renderNoticeModal } from '../../../rendering/answer-modal';
import { AdrModalMetadataSchema, decodeInteractionValue, InputId } from '../../../rendering/interactions';
import { admitClick, clickOf } from '../../click-admission';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';
import type { SubmissionArgs } from '../listener-args';

const text = (id: string) =>
  z.object({ [id]: z.object({ [id]: z.object({ value: z.string().nullish() }) }) });
const StateSchema = text(InputId.adrTitle)
  .and(text(InputId.adrDecision))
  .and(text(InputId.adrContext).partial())
  .and(
    z.object({
      [InputId.adrStatus]: z.object({
        [InputId.adrStatus]: z.object({
          selected_option: z.object({ value: z.enum(ADR_STATUSES) }).nullish(),
        }),
      }),
    }),
  );

/**
 * "Save as ADR" submitted: a blank title or decision keeps the form open with Slack's inline error;
 * otherwise the form closes at once and the ADR is written, uploaded to the thread and (with a
 * repository) proposed as a pull request, which takes longer than Slack's three seconds.
 */
export function adrSubmission(deps: IngressDeps) {
  return async ({ ack, view, body, client, context }: SubmissionArgs): Promise<void> => {
    const meta = decodeInteractionValue(view.private_metadata, AdrModalMetadataSchema, 3000);
    const state = StateSchema.safeParse(view.state.values);
    if (!meta.ok || !state.success) {
      await ack({ response_action: 'update', view: renderNoticeModal('Out of date', replies.staleButton) });
      return;
    }
    const values = state.data;
    const title = values[InputId.adrTitle]?.[InputId.adrTitle]?.value?.trim() ?? '';
    const decision = values[InputId.adrDecision]?.[InputId.adrDecision]?.value?.trim() ?? '';
    const errors: Record<string, string> = {};
    if (!title) errors[InputId.adrTitle] = replies.adrTitleRequired;
    if (!decision) errors[InputId.adrDecision] = replies.adrDecisionRequired;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const record = await deps.reviews.get(meta.value.requestId).catch(() => undefined);
    if (!record?.review) {
      await ack({
        response_action: 'update',
        view: renderNoticeModal('Review unavailable', replies.reviewGone),
      });
      return;
    }
    // A saved ADR is an upload, a branch and a pull request: admitted like a request, counted once per form.
    const click = clickOf(body, context);
    const admitted = await admitClick(deps, record, click, { costs: true, requestKey: `adr:${view.id}` });
    if (!admitted.ok) {
      const why = admitted.refusal ? replies.refusal(admitted.refusal) : replies.adrAlreadySubmitted;
      await ack({ response_action: 'update', view: renderNoticeModal('Not saved', why) });
      return;
    }
    await ack();
    const teamId = record.teamId;
    try {
      // The review's workspace's repository: the one the form named when it opened.
      const publishing = await deps.adrs?.forTeam(record.teamId);
      await saveAdr(
        client,
        { ...publishing, logger: deps.logger },
        {
          record: { ...record, review: record.review },
          decision: {
            title,
            decision,
            status: values[InputId.adrStatus]?.[InputId.adrStatus]?.selected_option?.value ?? 'proposed',
            context: values[InputId.adrContext]?.[InputId.adrContext]?.value?.trim() ?? '',
          },
          teamId,
          userId: body.user.id,
          replyTs: meta.value.replyTs,
        },
      );
    } catch (error) {
      deps.logger.error({ err: errorMessage(error) }, 'could not save the ADR');
      await tellUser(
        client,
        deps.logger,
        { channel: record.channelId, user: body.user.id, threadTs: record.threadTs },
        replies.adrNotSaved,
      );
    }
  };
}
