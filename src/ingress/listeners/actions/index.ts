import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import { ANSWER_QUESTIONS_ACTION_ID, ASK_ANOTHER_AGENT_ACTION_ID } from '../../../rendering/review-message';
import { RETRY_ACTION_ID } from '../../../rendering/status-messages';
import type { IngressDeps } from '../../ingress-deps';
import { answerQuestion } from './answer-question';
import { askAnotherAgent } from './ask-another-agent';
import { retryConsultation } from './retry-consultation';

export function register(app: App, deps: IngressDeps): void {
  app.action<BlockButtonAction>(RETRY_ACTION_ID, retryConsultation(deps));
  app.action<BlockButtonAction>(/^clarify_question_\d+$/, answerQuestion(deps, 'one'));
  app.action<BlockButtonAction>(ANSWER_QUESTIONS_ACTION_ID, answerQuestion(deps, 'all'));
  app.action<BlockStaticSelectAction>(ASK_ANOTHER_AGENT_ACTION_ID, askAnotherAgent(deps));
}
