import type { ClarifyingQuestion } from '../domain/review';
import type { ConsultationReply } from '../queue/consultation-job';
import type { ReplyMeta } from '../rendering/reply-meta';
import type { StageContext } from './stage-context';

/**
 * The fourth stage: stores the reply for its buttons (and for the follow-ups that build on it), then
 * posts it as a new message in the thread, so Slack notifies the thread's followers, and removes the
 * placeholder. Returns the ts of the reply.
 */
export async function deliverReview(
  { run, deps, thread, opened, agent }: StageContext,
  reply: ConsultationReply,
): Promise<string[]> {
  const data = run.request;
  const answered = data.answeredQuestions ?? [];
  const review = {
    ...reply.review,
    clarifyingQuestions: withoutAnswered(reply.review.clarifyingQuestions, answered),
  };
  const meta: ReplyMeta = {
    requestId: data.requestId,
    agentName: agent.name,
    model: reply.model,
    durationMs: Date.now() - data.requestedAt,
    asOf: reply.asOf,
    usage: reply.usage,
    notes: reply.notes,
    otherAgents: deps.agents
      .list()
      .map((a) => a.name)
      .filter((name) => name !== agent.name),
  };
  // Saved before delivery: the buttons must find their review the moment they appear.
  await deps.reviews.save({
    requestId: data.requestId,
    teamId: data.teamId,
    ...(data.enterpriseId ? { enterpriseId: data.enterpriseId } : {}),
    ...(data.isEnterpriseInstall ? { isEnterpriseInstall: true } : {}),
    channelId: data.channelId,
    threadTs: opened.threadTs,
    agentName: agent.name,
    summary: `${review.headline}\n${review.tldr}`,
    questions: review.clarifyingQuestions,
    answered,
    userId: data.userId,
    createdAt: Date.now(),
    review,
    produced: {
      model: reply.model,
      durationMs: meta.durationMs,
      asOf: reply.asOf,
      usage: reply.usage,
      notes: reply.notes,
    },
  });
  return thread.deliver(opened.placeholderTs, review, meta);
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
