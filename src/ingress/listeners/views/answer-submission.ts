import { z } from 'zod';
import { renderNoticeModal } from '../../../rendering/answer-modal';
import {
  AnswerModalMetadataSchema,
  answerBlockId,
  decodeInteractionValue,
  InputId,
  RERUN_OPTION_VALUE,
} from '../../../rendering/interactions';
import { clickOf, sameContext } from '../../click-admission';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import type { SubmissionArgs } from '../listener-args';

const StateValuesSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({
      value: z.string().nullish(),
      selected_options: z.array(z.object({ value: z.string() })).nullish(),
    }),
  ),
);

/**
 * The answer modal's submission: posts the answers into the thread (attributed to who answered) and,
 * when asked, a refined review after them. Both happen in one queued job, deduplicated on the view id,
 * so a double submission yields one follow-up. An empty form gets Slack's inline field error.
 */
export function answerSubmission(deps: IngressDeps) {
  return async ({ ack, view, body, context }: SubmissionArgs): Promise<void> => {
    const meta = decodeInteractionValue(view.private_metadata, AnswerModalMetadataSchema, 3000);
    const values = StateValuesSchema.safeParse(view.state.values);
    if (!meta.ok || !values.success) {
      await ack({ response_action: 'update', view: renderNoticeModal('Out of date', replies.staleButton) });
      return;
    }
    const record = await deps.reviews.get(meta.value.requestId).catch(() => undefined);
    if (!record) {
      await ack({
        response_action: 'update',
        view: renderNoticeModal('Review unavailable', replies.reviewGone),
      });
      return;
    }
    if (!sameContext(record, clickOf(body, context))) {
      await ack({ response_action: 'update', view: renderNoticeModal('Not here', replies.wrongPlace) });
      return;
    }
    const answers = meta.value.indexes.flatMap((index) => {
      const answer = values.data[answerBlockId(index)]?.[InputId.answer]?.value?.trim();
      const question = record.questions[index]?.question;
      return answer && question ? [{ question, answer }] : [];
    });
    const firstAnswerBlock = answerBlockId(meta.value.indexes[0] ?? 0);
    if (answers.length === 0) {
      await ack({ response_action: 'errors', errors: { [firstAnswerBlock]: replies.answerRequired } });
      return;
    }
    const rerun =
      values.data[InputId.rerun]?.[InputId.rerun]?.selected_options?.some(
        (o) => o.value === RERUN_OPTION_VALUE,
      ) ?? false;
    if (rerun && !deps.agents.get(record.agentName)) {
      await ack({
        response_action: 'errors',
        errors: { [InputId.rerun]: replies.agentGone(record.agentName) },
      });
      return;
    }

    const outcome = await queueConsultation(
      deps,
      {
        trigger: 'followup',
        teamId: record.teamId,
        channelId: record.channelId,
        userId: body.user.id,
        agentName: record.agentName,
        text: '',
        threadTs: record.threadTs,
        answers,
        rerun,
        answeredQuestions: [...new Set([...record.answered, ...answers.map((a) => a.question)])],
        previousRequestId: record.requestId,
      },
      `answers:${view.id}`,
      undefined,
      record,
    );
    if (outcome.queued || !outcome.refusal) {
      await ack();
      return;
    }
    // The modal stays open with the text the person wrote: nothing is lost, they can submit again
    // (or untick "re-run" when a limit refused the refined review).
    const field = outcome.refusal.reason === 'queue_unavailable' ? firstAnswerBlock : InputId.rerun;
    await ack({ response_action: 'errors', errors: { [field]: replies.refusal(outcome.refusal) } });
  };
}
