import type { Agent } from '../agents/agent';
import type { ClarifyingQuestion } from '../consultation/review';
import { renderReview } from '../rendering/review-message';
import type { ClaudeAnswer } from './ask-claude';
import type { ConsultationRun } from './consultation-run';
import type { GatheredContext } from './gather-context';
import type { OpenedThread } from './open-thread';
import type { ReviewThread } from './review-thread';
import type { WorkerDeps } from './worker-deps';

/**
 * The fourth stage: renders the review within Slack's limits, stores it for its buttons, and puts it
 * in the placeholder's place. Returns the ts of every message it occupies.
 */
export async function deliverReview(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'agents' | 'reviews'>,
  thread: ReviewThread,
  opened: OpenedThread,
  agent: Agent,
  answer: ClaudeAnswer,
  context: GatheredContext,
): Promise<string[]> {
  const data = run.data;
  const answered = data.answeredQuestions ?? [];
  const review = {
    ...answer.review,
    clarifyingQuestions: withoutAnswered(answer.review.clarifyingQuestions, answered),
  };
  const messages = renderReview(review, {
    requestId: data.requestId,
    agentName: agent.name,
    model: answer.model,
    durationMs: Date.now() - data.requestedAt,
    usage: answer.usage,
    notes: context.notes,
    otherAgents: deps.agents
      .list()
      .map((a) => a.name)
      .filter((name) => name !== agent.name),
  });
  // Saved before delivery: the buttons must find their review the moment they appear.
  await deps.reviews.save({
    requestId: data.requestId,
    teamId: data.teamId,
    channelId: data.channelId,
    threadTs: opened.threadTs,
    agentName: agent.name,
    summary: review.summary,
    questions: review.clarifyingQuestions,
    answered,
    userId: data.userId,
    createdAt: Date.now(),
  });
  return thread.deliver(opened.threadTs, opened.placeholderTs, messages);
}

/** Drops questions the thread has already answered, compared without case, spacing or punctuation. */
function withoutAnswered(questions: ClarifyingQuestion[], answered: string[]): ClarifyingQuestion[] {
  const normalize = (q: string) =>
    q
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const done = new Set(answered.map(normalize));
  return questions.filter((q) => !done.has(normalize(q.question)));
}
