import { type AccessLists, accessRefusal, type Requester } from '../access/access-policy';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';
import type { ArchitectMetrics } from '../observability/metrics';
import type { Admission } from '../stores/cost-guard';

export interface AdmissionDeps {
  access: AccessLists;
  costGuard: {
    admit(teamId: string, userId: string, requestKey: string): Promise<Admission & { repeat?: boolean }>;
  };
  metrics?: ArchitectMetrics;
  logger: Logger;
}

/** Why a request was not queued; `replies.refusal` says it to the person. */
export type Refusal =
  | { reason: 'not_allowed'; by: 'team' | 'channel' | 'user' }
  | { reason: 'rate_limit'; limit: number; resetsAt: Date }
  | { reason: 'cost_guard'; resetsAt: Date; scope?: 'deployment' }
  | { reason: 'queue_unavailable' }
  /** A click on a review from another workspace, organisation or channel than the review's. */
  | { reason: 'wrong_place' };

/** `refusal` is undefined when the person was already told about this very request. */
export type AdmissionResult = { ok: true } | { ok: false; refusal: Refusal | undefined };

/**
 * Decides whether a new consultation may be queued: the allowlists first, then the cost guard. A
 * refusal is polite, says why and, for limits, when they reset; nothing is queued.
 */
export async function admitConsultation(
  deps: AdmissionDeps,
  who: Requester,
  requestKey: string,
  options: { callsClaude: boolean } = { callsClaude: true },
): Promise<AdmissionResult> {
  const refusedBy = accessRefusal(deps.access, who);
  if (refusedBy) {
    deps.metrics?.recordRefusal('not_allowed');
    deps.logger.info(
      { teamId: who.teamId, channelId: who.channelId, refusedBy },
      'request refused by the allowlist',
    );
    return { ok: false, refusal: { reason: 'not_allowed', by: refusedBy } };
  }
  // Posting answers without a refined review costs nothing, so only the allowlists apply to it.
  if (!options.callsClaude) return { ok: true };
  let admission: Admission & { repeat?: boolean };
  try {
    admission = await deps.costGuard.admit(who.teamId, who.userId, requestKey);
  } catch (error) {
    deps.logger.error({ err: errorMessage(error) }, 'cost guard unavailable');
    return { ok: false, refusal: { reason: 'queue_unavailable' } };
  }
  if (admission.ok) return { ok: true };
  if (admission.repeat) return { ok: false, refusal: undefined };
  deps.metrics?.recordRefusal(admission.reason);
  deps.logger.info({ teamId: who.teamId, reason: admission.reason }, 'request refused by the cost guard');
  return {
    ok: false,
    refusal:
      admission.reason === 'rate_limit'
        ? { reason: 'rate_limit', limit: admission.limit, resetsAt: admission.resetsAt }
        : {
            reason: 'cost_guard',
            resetsAt: admission.resetsAt,
            ...(admission.scope ? { scope: admission.scope } : {}),
          },
  };
}
