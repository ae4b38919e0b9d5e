import type { KnownBlock, ModalView } from '@slack/web-api';

/**
 * A modal that asks for something and sends it back: its callback id, what the submit button says, and
 * what it carries for the submission (private_metadata, up to 3,000 characters), with Cancel to close.
 */
export function formModal(form: {
  callbackId: string;
  title: string;
  submit: string;
  metadata: unknown;
  blocks: KnownBlock[];
}): ModalView {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(form.metadata),
    blocks: form.blocks,
  };
}
