import { errorMessage } from '../lib/error-message';
import type { ConsultationReply } from '../queue/consultation-job';
import type { StageContext } from './stage-context';

/** The last stage: the requester's Home tab list and the closing log line. */
export async function recordConsultation(
  { run, deps }: Pick<StageContext, 'run' | 'deps'>,
  reply: ConsultationReply,
  delivered: string[],
): Promise<void> {
  const { teamId, userId, requestId, requestedAt } = run.request;
  // The Home tab's list is a convenience: failing to update it must not fail a delivered review.
  await deps.userReviews
    ?.add({ teamId, userId, requestId, deliveredAt: Date.now() })
    .catch((e: unknown) =>
      run.log.warn({ err: errorMessage(e) }, 'could not add the review to the Home tab'),
    );
  run.log.info(
    {
      modelMs: reply.claudeMs,
      totalMs: Date.now() - requestedAt,
      messages: delivered.length,
      kind: reply.review.kind,
      findings: reply.review.findings.length,
      ...reply.usage,
    },
    'review delivered',
  );
}
