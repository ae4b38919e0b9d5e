import type { QueuedRequest } from '../queue/consultation-job';
import type { WorkerDeps } from './worker-deps';

/**
 * The worker's dependencies for one job: in OAuth mode its workspace's Slack (looked up by the ids the
 * job carries, never a token in the job); undefined when that workspace has uninstalled the app.
 */
export async function depsForJob(
  data: Pick<QueuedRequest, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>,
  deps: WorkerDeps,
): Promise<WorkerDeps | undefined> {
  const precedent = deps.precedentFor ? await deps.precedentFor(data.teamId) : deps.precedent;
  const withPrecedent: WorkerDeps = { ...deps, ...(precedent ? { precedent } : { precedent: undefined }) };
  if (!deps.slackFor) return withPrecedent;
  const parts = await deps.slackFor({
    teamId: data.teamId,
    enterpriseId: data.enterpriseId,
    isEnterpriseInstall: data.isEnterpriseInstall,
  });
  if (!parts) return undefined;
  const { files, ...slackParts } = parts;
  return {
    ...withPrecedent,
    ...slackParts,
    ...(deps.context ? { context: { ...deps.context, files } } : {}),
  };
}
