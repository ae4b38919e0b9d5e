import type { App } from '@slack/bolt';
import { z } from 'zod';
import { errorMessage } from '../../../lib/error-message';
import type { ConsultationJob } from '../../../queue/consultation-job';
import type { IngressDeps } from '../../ingress-deps';

/** What Slack's app_uninstalled and tokens_revoked envelopes say about whose installation ended. */
const EnvelopeSchema = z.object({
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  authorizations: z.array(z.object({ is_enterprise_install: z.boolean().optional() })).optional(),
  event: z.looseObject({
    type: z.string(),
    tokens: z.object({ bot: z.array(z.string()).optional() }).optional(),
  }),
});

/**
 * OAuth mode: a workspace (or an organisation) that removes the app, or revokes its bot token, loses its
 * installation, and its consultations still queued are dropped; one already running is dropped by the
 * worker, which finds no installation for it.
 */
export function registerUninstall(app: App, deps: IngressDeps): void {
  const { installations } = deps;
  if (!installations) return;
  const forget = async (teamId: string): Promise<number> =>
    (await deps.forgetWorkspace?.(teamId).catch((error: unknown) => {
      deps.logger.error({ teamId, err: errorMessage(error) }, 'could not forget the workspace’s data');
      return 0;
    })) ?? 0;
  const end = async (body: unknown, why: string) => {
    const parsed = EnvelopeSchema.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ why }, 'malformed uninstall event ignored');
      return;
    }
    const envelope = parsed.data;
    if (envelope.event.type === 'tokens_revoked' && !envelope.event.tokens?.bot?.length) return;
    const isEnterpriseInstall = envelope.authorizations?.[0]?.is_enterprise_install === true;
    const teamId = envelope.team_id;
    const enterpriseId = envelope.enterprise_id;
    await installations.deleteInstallation({
      teamId: isEnterpriseInstall ? undefined : teamId,
      enterpriseId,
      isEnterpriseInstall,
    });
    const belongs = ({ request: job }: ConsultationJob) =>
      isEnterpriseInstall
        ? job.isEnterpriseInstall === true && job.enterpriseId === enterpriseId
        : job.teamId === teamId && job.isEnterpriseInstall !== true;
    const dropped = deps.queue.dropWaiting ? await deps.queue.dropWaiting(belongs) : 0;
    // Its reviews, settings (the ADR repository's token among them) and counters go with it.
    const forgotten = teamId && !isEnterpriseInstall ? await forget(teamId) : 0;
    deps.logger.info(
      {
        teamId,
        enterpriseId,
        isEnterpriseInstall,
        why,
        droppedConsultations: dropped,
        forgottenKeys: forgotten,
      },
      'installation removed; its queued consultations dropped',
    );
  };
  app.event('app_uninstalled', async ({ body }) => end(body, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ body }) => end(body, 'tokens_revoked'));
}
