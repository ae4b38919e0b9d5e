import { type AccessLists, accessRefusal, type Requester } from '../access/access-policy';
import type { Admission } from '../access/cost-guard';
import type { Logger } from '../logger';
import type { ArchitectMetrics } from '../observability/metrics';
import { replies } from './replies';

export interface AdmissionDeps {
  access: AccessLists;
  costGuard: {
    admit(teamId: string, userId: string, requestKey: string): Promise<Admission & { repeat?: boolean }>;
  };
  metrics?: ArchitectMetrics;
  logger: Logger;
}

/** `message` is what to tell the person; undefined when they were already told about this request. */
export type AdmissionResult = { ok: true } | { ok: false; message: string | undefined };

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
    return { ok: false, message: replies.notAllowed(refusedBy) };
  }
  // Posting answers without a refined review costs nothing, so only the allowlists apply to it.
  if (!options.callsClaude) return { ok: true };
  let admission: Admission & { repeat?: boolean };
  try {
    admission = await deps.costGuard.admit(who.teamId, who.userId, requestKey);
  } catch (error) {
    deps.logger.error(
      { err: error instanceof Error ? error.message : String(error) },
      'cost guard unavailable',
    );
    return { ok: false, message: replies.queueUnavailable };
  }
  if (admission.ok) return { ok: true };
  if (admission.repeat) return { ok: false, message: undefined };
  deps.metrics?.recordRefusal(admission.reason);
  deps.logger.info({ teamId: who.teamId, reason: admission.reason }, 'request refused by the cost guard');
  return {
    ok: false,
    message:
      admission.reason === 'rate_limit'
        ? replies.rateLimited(admission.limit, admission.resetsAt)
        : replies.budgetSpent(admission.resetsAt),
  };
}
