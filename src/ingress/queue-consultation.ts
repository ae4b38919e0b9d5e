import type { WebClient } from '@slack/web-api';
import type { Requester } from '../access/access-policy';
import { ErrorCode, isCodedError } from '../errors';
import { consultationLogFields } from '../observability/log-fields';
import type { QueuedRequest } from '../queue/consultation-job';
import { admitConsultation, type Refusal } from './admission';
import type { IngressDeps } from './ingress-deps';
import { replies } from './replies';
import { type Organisation, withRequestOrganisation } from './request-workspace';
import { tellUser } from './tell-user';

/**
 * What became of a request: queued (or recognised as a redelivery), or refused with the reason to tell
 * the person (`refusal` is undefined when they were already told about this very request).
 */
export type QueueOutcome =
  | { queued: true; duplicate: boolean }
  | { queued: false; refusal: Refusal | undefined };

/** A request as a listener describes it; its id and time are given here, the one place jobs are made. */
export type NewConsultation = Omit<QueuedRequest, 'requestId' | 'requestedAt'>;

/**
 * The one path from a Slack request to the queue: allowlists and cost guard first, then the
 * deduplicated enqueue. Redis being unreachable becomes the "try again" message, never an exception.
 */
export async function queueConsultation(
  deps: IngressDeps,
  request: NewConsultation,
  dedupKey: string,
  /** Who is asking, when not the job's requester: a Retry is admitted as the person who clicks it. */
  admitAs?: Requester,
  /** The installation serving a job built from a click: the review's, not the clicker's. */
  organisation?: Organisation,
): Promise<QueueOutcome> {
  const asked = withRequestOrganisation(
    { ...request, requestId: deps.newRequestId(), requestedAt: Date.now() },
    organisation,
  );
  const who: Requester = admitAs ?? {
    teamId: asked.teamId,
    channelId: asked.channelId,
    userId: asked.userId,
  };
  const callsClaude = asked.trigger !== 'followup' || asked.rerun === true;
  const admitted = await admitConsultation(deps, who, dedupKey, { callsClaude });
  if (!admitted.ok) return { queued: false, refusal: admitted.refusal };
  const log = deps.logger.child(consultationLogFields(asked));
  try {
    const result = await deps.queue.enqueue({ request: asked, checkpoints: {} }, dedupKey);
    log.info(
      { status: result.status },
      result.status === 'queued' ? 'consultation queued' : 'duplicate delivery ignored',
    );
    return { queued: true, duplicate: result.status === 'duplicate' };
  } catch (error) {
    if (!isCodedError(error, ErrorCode.QueueUnavailable)) throw error;
    log.error({ err: String(error.cause) }, 'could not queue consultation');
    return { queued: false, refusal: { reason: 'queue_unavailable' } };
  }
}

/**
 * For listeners with no reply of their own to give (mentions, reactions, buttons): queues the request,
 * or tells the person privately, where they asked, why it was refused.
 */
export async function queueOrTellRefusal(
  deps: IngressDeps,
  client: WebClient,
  where: Parameters<typeof tellUser>[2],
  request: {
    consultation: NewConsultation;
    dedupKey: string;
    admitAs?: Requester;
    organisation?: Organisation;
  },
): Promise<void> {
  const outcome = await queueConsultation(
    deps,
    request.consultation,
    request.dedupKey,
    request.admitAs,
    request.organisation,
  );
  if (!outcome.queued && outcome.refusal)
    await tellUser(client, deps.logger, where, replies.refusal(outcome.refusal));
}
