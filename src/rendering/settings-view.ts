import type { KnownBlock, ModalView } from '@slack/web-api';
import { escapeMrkdwn } from '../lib/mrkdwn';
import { ActionId, CallbackId, InputId } from './interactions';

/** The workspace's settings as the Home tab shows them. */
export interface HomeSettings {
  /** `owner/name` and folder of the workspace's ADR repository; absent when none is set. */
  adrRepository?: { name: string; path: string } | undefined;
  /** Whether the person looking may change them (a workspace admin or owner). */
  canEdit: boolean;
  /** Where the ADR repository comes from: this workspace's settings, or the deployment's environment. */
  source: 'workspace' | 'environment';
}

/** The Home tab's Settings section: what is set, and for admins the button that changes it. */
export function settingsBlocks(settings: HomeSettings): KnownBlock[] {
  const repo = settings.adrRepository;
  const line = repo
    ? `*ADR repository:* \`${escapeMrkdwn(repo.name)}\`, folder \`${escapeMrkdwn(repo.path)}\`. Save as ADR opens pull requests there, and reviews cite its decisions.`
    : '*ADR repository:* none. Save as ADR posts the ADR in the thread only, and reviews cite no decisions.';
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Settings' } },
    { type: 'section', text: { type: 'mrkdwn', text: line } },
  ];
  if (settings.source === 'environment') {
    blocks.push(context('Set by whoever runs Architect (GITHUB_REPOSITORY), not from Slack.'));
  } else if (settings.canEdit) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ActionId.editAdrSettings,
          text: { type: 'plain_text', text: repo ? 'Change ADR repository' : 'Set ADR repository' },
        },
      ],
    });
  } else {
    blocks.push(context('Only workspace admins and owners can change these.'));
  }
  return blocks;
}

/** The ADR repository form; the token is never shown back, and left blank it stays as it is. */
export function renderAdrSettingsModal(current: { name: string; path: string } | undefined): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackId.adrSettingsModal,
    title: { type: 'plain_text', text: 'ADR repository' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: InputId.settingsRepository,
        label: { type: 'plain_text', text: 'Repository (owner/name)' },
        element: {
          type: 'plain_text_input',
          action_id: InputId.settingsRepository,
          placeholder: { type: 'plain_text', text: 'acme/architecture' },
          ...(current ? { initial_value: current.name } : {}),
        },
      },
      {
        type: 'input',
        block_id: InputId.settingsAdrPath,
        label: { type: 'plain_text', text: 'ADR folder' },
        element: {
          type: 'plain_text_input',
          action_id: InputId.settingsAdrPath,
          initial_value: current?.path ?? 'docs/adr',
        },
      },
      {
        type: 'input',
        block_id: InputId.settingsGithubToken,
        optional: current !== undefined,
        label: { type: 'plain_text', text: 'GitHub token' },
        hint: {
          type: 'plain_text',
          text:
            'A fine-grained token for this repository only, with Contents and Pull requests read and write. It is stored encrypted and never shown again.' +
            (current ? ' Leave blank to keep the current one.' : ''),
        },
        element: { type: 'plain_text_input', action_id: InputId.settingsGithubToken },
      },
    ],
  };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
