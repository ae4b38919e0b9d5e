import { AsyncLocalStorage } from 'node:async_hooks';
import type { App } from '@slack/bolt';
import type { QueuedRequest } from '../queue/consultation-job';

export type Organisation = Pick<QueuedRequest, 'enterpriseId' | 'isEnterpriseInstall'>;

const current = new AsyncLocalStorage<Organisation>();

/**
 * Remembers, for the whole of each Slack request, the organisation Bolt found it came from, so every
 * job the request queues names the installation that serves it (an org-wide install, on Enterprise
 * Grid) without each of the listeners passing it along.
 */
export function rememberRequestOrganisation(app: App): void {
  app.use(async ({ context, next }) => {
    const organisation: Organisation = {
      ...(context.enterpriseId ? { enterpriseId: context.enterpriseId } : {}),
      ...(context.isEnterpriseInstall ? { isEnterpriseInstall: true } : {}),
    };
    await current.run(organisation, next);
  });
}

/**
 * `job` with the organisation of the request being handled, unless it names one already (a Retry), or
 * `from` says whose it is: a job built from a click on a review is served by the review's installation,
 * never by the clicker's (the click was checked to come from the same organisation).
 */
export function withRequestOrganisation(job: QueuedRequest, from?: Organisation): QueuedRequest {
  if (from) {
    const { enterpriseId: _e, isEnterpriseInstall: _i, ...rest } = job;
    return {
      ...rest,
      ...(from.enterpriseId ? { enterpriseId: from.enterpriseId } : {}),
      ...(from.isEnterpriseInstall ? { isEnterpriseInstall: true } : {}),
    };
  }
  if (job.enterpriseId !== undefined) return job;
  return { ...current.getStore(), ...job };
}
