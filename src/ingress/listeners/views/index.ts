import type { App } from '@slack/bolt';
import { CallbackId } from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { adrSettingsSubmission } from './adr-settings-submission';
import { adrSubmission } from './adr-submission';
import { answerSubmission } from './answer-submission';
import { reviewSubmission } from './review-submission';

export function register(app: App, deps: IngressDeps): void {
  app.view(CallbackId.answerModal, answerSubmission(deps));
  app.view(CallbackId.reviewModal, reviewSubmission(deps));
  app.view(CallbackId.adrModal, adrSubmission(deps));
  app.view(CallbackId.adrSettingsModal, adrSettingsSubmission(deps));
}
