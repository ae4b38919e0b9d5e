import type { App } from '@slack/bolt';
import {
  ADR_MODAL_CALLBACK_ID,
  ANSWER_MODAL_CALLBACK_ID,
  REVIEW_MODAL_CALLBACK_ID,
} from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { adrSubmission } from './adr-submission';
import { answerSubmission } from './answer-submission';
import { reviewSubmission } from './review-submission';

export function register(app: App, deps: IngressDeps): void {
  app.view(ANSWER_MODAL_CALLBACK_ID, answerSubmission(deps));
  app.view(REVIEW_MODAL_CALLBACK_ID, reviewSubmission(deps));
  app.view(ADR_MODAL_CALLBACK_ID, adrSubmission(deps));
}
