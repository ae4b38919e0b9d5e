import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import {
  ANSWER_QUESTIONS_ACTION_ID,
  ASK_ANOTHER_AGENT_ACTION_ID,
  CLARIFY_QUESTION_ACTION_PATTERN,
  FEEDBACK_ACTION_PATTERN,
  FULL_REVIEW_ACTION_ID,
  RETRY_ACTION_ID,
  SAVE_AS_ADR_ACTION_ID,
} from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { answerQuestion } from './answer-question';
import { askAnotherAgent } from './ask-another-agent';
import { openFullReview } from './open-full-review';
import { retryConsultation } from './retry-consultation';
import { reviewFeedback } from './review-feedback';
import { saveAsAdr } from './save-as-adr';

export function register(app: App, deps: IngressDeps): void {
  app.action<BlockButtonAction>(RETRY_ACTION_ID, retryConsultation(deps));
  app.action<BlockButtonAction>(CLARIFY_QUESTION_ACTION_PATTERN, answerQuestion(deps, 'one'));
  app.action<BlockButtonAction>(ANSWER_QUESTIONS_ACTION_ID, answerQuestion(deps, 'all'));
  app.action<BlockStaticSelectAction>(ASK_ANOTHER_AGENT_ACTION_ID, askAnotherAgent(deps));
  app.action<BlockButtonAction>(FULL_REVIEW_ACTION_ID, openFullReview(deps));
  app.action(FEEDBACK_ACTION_PATTERN, reviewFeedback(deps));
  app.action<BlockButtonAction>(SAVE_AS_ADR_ACTION_ID, saveAsAdr(deps));
}
