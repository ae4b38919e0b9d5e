import type { KnownBlock, ModalView } from '@slack/web-api';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';
import type { ReviewRecord } from '../stores/review-store';
import { formModal } from './form-modal';
import {
  type AnswerModalMetadata,
  answerBlockId,
  CallbackId,
  InputId,
  RERUN_OPTION_VALUE,
} from './interactions';
import { RENDER_LIMITS } from './slack-message';

/** The block holding the answer to the question at `index`. */

const ANSWER_MAX_LENGTH = 3000;

/**
 * The modal that asks for answers to one or more of a review's clarifying questions: the review's
 * summary line for context, each question in full with its own answer box, and whether to re-run.
 */
export function renderAnswerModal(record: ReviewRecord, indexes: number[]): ModalView {
  const metadata: AnswerModalMetadata = { v: 1, requestId: record.requestId, indexes };
  const summaryLine = record.summary.split('\n')[0] ?? '';
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(
            `From *${escapeMrkdwn(record.agentName)}*’s review: ${escapeMrkdwn(summaryLine)}`,
            500,
          ),
        },
      ],
    },
  ];
  for (const index of indexes) {
    const question = record.questions[index];
    if (!question) continue;
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${escapeMrkdwn(question.question)}*`, RENDER_LIMITS.sectionText),
        },
      },
      {
        type: 'input',
        block_id: answerBlockId(index),
        optional: true,
        label: {
          type: 'plain_text',
          text: truncate(indexes.length === 1 ? 'Your answer' : `Answer: ${question.label}`, 150),
        },
        element: {
          type: 'plain_text_input',
          action_id: InputId.answer,
          multiline: true,
          max_length: ANSWER_MAX_LENGTH,
        },
      },
    );
  }
  const rerunOption = {
    text: {
      type: 'plain_text' as const,
      text:
        indexes.length === 1 ? 'Re-run the review with this answer' : 'Re-run the review with these answers',
    },
    value: RERUN_OPTION_VALUE,
  };
  blocks.push({
    type: 'input',
    block_id: InputId.rerun,
    optional: true,
    label: { type: 'plain_text', text: 'Then' },
    element: {
      type: 'checkboxes',
      action_id: InputId.rerun,
      options: [rerunOption],
      initial_options: [rerunOption],
    },
  });
  return formModal({
    callbackId: CallbackId.answerModal,
    title: indexes.length === 1 ? 'Answer a question' : 'Answer questions',
    submit: indexes.length === 1 ? 'Post answer' : 'Post answers',
    metadata,
    blocks,
  });
}

/** A modal that only explains why the form can no longer be used. */
export function renderNoticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text), RENDER_LIMITS.sectionText) },
      },
    ],
  };
}
