import { renderAnswerModal } from '../../../rendering/answer-modal';
import {
  AnswerQuestionsValueSchema,
  decodeInteractionValue,
  decodeQuestionButtonValue,
} from '../../../rendering/interactions';
import type { ReviewRecord } from '../../../stores/review-store';
import { admitClickOrTell, clickOf } from '../../click-admission';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';
import type { ButtonArgs } from '../listener-args';

/**
 * A clarifying-question button, or "Answer questions": opens the answer modal in the same request,
 * because the click's trigger_id lives about three seconds. Everything the modal needs comes from the
 * button's value and the review kept in Redis.
 */
export function answerQuestion(deps: IngressDeps, which: 'one' | 'all') {
  return async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
    const target = which === 'one' ? decodeOne(action.value) : decodeAll(action.value);
    if (!target) return tellUser(client, deps.logger, where, replies.staleButton);
    const record = await deps.reviews.get(target.requestId).catch(() => undefined);
    if (!record) return tellUser(client, deps.logger, where, replies.reviewGone);
    const admitted = await admitClickOrTell(deps, client, record, clickOf(body, context), {
      costs: false,
      requestKey: `click:${record.requestId}:${body.user.id}`,
      threadTs: where.threadTs,
    });
    if (!admitted) return;
    const indexes = target.index === undefined ? openQuestions(record) : [target.index];
    if (indexes.length === 0 || indexes.some((i) => record.questions[i] === undefined)) {
      return tellUser(client, deps.logger, where, replies.staleButton);
    }
    await client.views.open({ trigger_id: body.trigger_id, view: renderAnswerModal(record, indexes) });
  };
}

function decodeOne(raw: string | undefined): { requestId: string; index?: number } | undefined {
  const decoded = decodeQuestionButtonValue(raw ?? '');
  return decoded.ok ? { requestId: decoded.value.requestId, index: decoded.value.index } : undefined;
}

function decodeAll(raw: string | undefined): { requestId: string; index?: number } | undefined {
  const decoded = decodeInteractionValue(raw, AnswerQuestionsValueSchema, 2000);
  return decoded.ok ? { requestId: decoded.value.requestId } : undefined;
}

/** The review's questions as indexes; a modal holds at most 25 of them, well under Slack's 100 blocks. */
function openQuestions(record: ReviewRecord): number[] {
  return record.questions.map((_, i) => i).slice(0, 25);
}
