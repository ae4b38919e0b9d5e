import type { App, BlockButtonAction } from '@slack/bolt';
import { RETRY_ACTION_ID } from '../../../rendering/status-messages';
import type { IngressDeps } from '../../ingress-deps';
import { retryConsultation } from './retry-consultation';

export function register(app: App, deps: IngressDeps): void {
  app.action<BlockButtonAction>(RETRY_ACTION_ID, retryConsultation(deps));
  // Clarifying-question buttons: the answer flow arrives with the follow-up feature; ack so Slack shows no error.
  app.action<BlockButtonAction>(/^clarify_question_\d+$/, async ({ ack }) => {
    await ack();
  });
}
