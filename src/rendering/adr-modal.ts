import type { KnownBlock, ModalView } from '@slack/web-api';
import { ADR_STATUSES, type AdrStatus } from '../adr/adr-document';
import { ADR_LIMITS, type AdrDraft } from '../adr/adr-draft';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';
import { formModal } from './form-modal';
import { type AdrModalMetadata, CallbackId, InputId } from './interactions';

const STATUS_LABELS: Record<AdrStatus, { text: string; description: string }> = {
  proposed: {
    text: 'Proposed',
    description: 'The team still has to agree; the pull request is where it does.',
  },
  accepted: { text: 'Accepted', description: 'The team has decided.' },
};

/**
 * The "Save as ADR" form: title, status, the decision in one paragraph and its context, prefilled from
 * the review and the thread and all editable (the team's decision may differ from the recommendation),
 * and where the ADR will go.
 */
export function renderAdrModal(input: {
  metadata: AdrModalMetadata;
  draft: AdrDraft;
  agentName: string;
  headline: string;
  /** `owner/name` and ADR folder when a repository is configured. */
  repository?: { name: string; adrPath: string } | undefined;
}): ModalView {
  const { draft } = input;
  const statusOption = (status: AdrStatus) => ({
    text: { type: 'plain_text' as const, text: STATUS_LABELS[status].text },
    description: { type: 'plain_text' as const, text: STATUS_LABELS[status].description },
    value: status,
  });
  const destination = input.repository
    ? `Saving uploads the ADR (Markdown, written as the folder's ADRs are) to this thread and opens a pull request adding it to \`${escapeMrkdwn(input.repository.adrPath)}\` in *${escapeMrkdwn(input.repository.name)}*, with the next free number or today's date.`
    : 'Saving uploads the ADR (Markdown, MADR layout) to this thread. With a repository configured (GITHUB_REPOSITORY), it would also open a pull request.';
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(
            `From *${escapeMrkdwn(input.agentName)}*’s review: ${escapeMrkdwn(input.headline)}`,
            500,
          ),
        },
      ],
    },
    textInput(
      InputId.adrTitle,
      'Title',
      draft.title,
      ADR_LIMITS.title,
      false,
      'The decision, in a few words',
    ),
    {
      type: 'input',
      block_id: InputId.adrStatus,
      label: { type: 'plain_text', text: 'Status' },
      element: {
        type: 'radio_buttons',
        action_id: InputId.adrStatus,
        options: ADR_STATUSES.map(statusOption),
        initial_option: statusOption('proposed'),
      },
    },
    textInput(
      InputId.adrDecision,
      'Decision',
      draft.decision,
      ADR_LIMITS.decision,
      true,
      'What the team decided, in one paragraph: it may differ from the review’s recommendation.',
    ),
    textInput(
      InputId.adrContext,
      'Context and problem statement',
      draft.context,
      ADR_LIMITS.context,
      true,
      'Starts from the thread’s first message.',
      true,
    ),
    { type: 'context', elements: [{ type: 'mrkdwn', text: destination }] },
  ];
  return formModal({
    callbackId: CallbackId.adrModal,
    title: 'Save as ADR',
    submit: 'Save ADR',
    metadata: input.metadata,
    blocks,
  });
}

function textInput(
  id: string,
  label: string,
  initial: string,
  maxLength: number,
  multiline: boolean,
  hint: string,
  optional = false,
): KnownBlock {
  return {
    type: 'input',
    block_id: id,
    optional,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'plain_text_input',
      action_id: id,
      multiline,
      max_length: maxLength,
      ...(initial ? { initial_value: truncate(initial, maxLength) } : {}),
    },
  };
}
