import type { Requester } from '../access/access-policy';
import { consultationLogFields } from '../observability/log-fields';
import type { ConsultationJob } from '../queue/consultation-job';
import { QueueUnavailableError } from '../queue/consultation-queue';
import { admitConsultation, type Refusal } from './admission';
import type { IngressDeps } from './ingress-deps';
import { withRequestOrganisation } from './request-workspace';

/**
 * What became of a request: queued (or recognised as a redelivery), or refused with the reason to tell
 * the person (`refusal` is undefined when they were already told about this very request).
 */
export type QueueOutcome =
  | { queued: true; duplicate: boolean }
  | { queued: false; refusal: Refusal | undefined };

/**
 * The one path from a Slack request to the queue: allowlists and cost guard first, then the
 * deduplicated enqueue. Redis being unreachable becomes the "try again" message, never an exception.
 */
export async function queueConsultation(
  deps: IngressDeps,
  job: ConsultationJob,
  dedupKey: string,
  /** Who is asking, when not the job's requester: a Retry is admitted as the person who clicks it. */
  admitAs?: Requester,
): Promise<QueueOutcome> {
  job = withRequestOrganisation(job);
  const who: Requester = admitAs ?? { teamId: job.teamId, channelId: job.channelId, userId: job.userId };
  const callsClaude = job.trigger !== 'followup' || job.rerun === true;
  const admitted = await admitConsultation(deps, who, dedupKey, { callsClaude });
  if (!admitted.ok) return { queued: false, refusal: admitted.refusal };
  const log = deps.logger.child(consultationLogFields(job));
  try {
    const result = await deps.queue.enqueue(job, dedupKey);
    log.info(
      { status: result.status },
      result.status === 'queued' ? 'consultation queued' : 'duplicate delivery ignored',
    );
    return { queued: true, duplicate: result.status === 'duplicate' };
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    log.error({ err: String(error.cause) }, 'could not queue consultation');
    return { queued: false, refusal: { reason: 'queue_unavailable' } };
  }
}
