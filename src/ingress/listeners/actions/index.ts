import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import {
  ActionId,
  CLARIFY_QUESTION_ACTION_PATTERN,
  FEEDBACK_ACTION_PATTERN,
} from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { answerQuestion } from './answer-question';
import { askAnotherAgent } from './ask-another-agent';
import { editAdrSettings } from './edit-adr-settings';
import { openFullReview } from './open-full-review';
import { retryConsultation } from './retry-consultation';
import { reviewFeedback } from './review-feedback';
import { saveAsAdr } from './save-as-adr';

export function register(app: App, deps: IngressDeps): void {
  app.action<BlockButtonAction>(ActionId.retry, retryConsultation(deps));
  app.action<BlockButtonAction>(CLARIFY_QUESTION_ACTION_PATTERN, answerQuestion(deps, 'one'));
  app.action<BlockButtonAction>(ActionId.answerQuestions, answerQuestion(deps, 'all'));
  app.action<BlockStaticSelectAction>(ActionId.askAnotherAgent, askAnotherAgent(deps));
  app.action<BlockButtonAction>(ActionId.openFullReview, openFullReview(deps));
  app.action(FEEDBACK_ACTION_PATTERN, reviewFeedback(deps));
  app.action<BlockButtonAction>(ActionId.saveAsAdr, saveAsAdr(deps));
  app.action<BlockButtonAction>(ActionId.editAdrSettings, editAdrSettings(deps));
}
