import type { KnownBlock, ModalView } from '@slack/web-api';
import { truncate } from '../lib/mrkdwn';
import { formModal } from './form-modal';
import { CallbackId, InputId, type ReviewModalMetadata } from './interactions';

/** Slack's limit on a static_select's options. */
const MAX_OPTIONS = 100;
const NOTE_MAX_LENGTH = 500;

/**
 * "Review with Architect": which agent, and what the review should focus on (optional). The message
 * to review travels in private_metadata, so the submission needs nothing from this process's memory.
 */
export function renderReviewModal(input: {
  agents: { name: string; description: string }[];
  defaultAgent: string;
  metadata: ReviewModalMetadata;
}): ModalView {
  const option = (name: string) => ({
    text: { type: 'plain_text' as const, text: truncate(name, 75) },
    value: truncate(name, 150),
  });
  const options = input.agents.slice(0, MAX_OPTIONS).map((a) => option(a.name));
  const initial = options.find((o) => o.value === input.defaultAgent) ?? options[0];
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: InputId.agent,
      label: { type: 'plain_text', text: 'Agent' },
      element: {
        type: 'static_select',
        action_id: InputId.agent,
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    },
    {
      type: 'input',
      block_id: InputId.note,
      optional: true,
      label: { type: 'plain_text', text: 'What should the review focus on?' },
      element: {
        type: 'plain_text_input',
        action_id: InputId.note,
        multiline: true,
        max_length: NOTE_MAX_LENGTH,
        placeholder: { type: 'plain_text', text: 'e.g. failure modes, cost, the data model' },
      },
    },
  ];
  return formModal({
    callbackId: CallbackId.reviewModal,
    title: 'Review with Architect',
    submit: 'Review',
    metadata: input.metadata,
    blocks,
  });
}
