import { errorMessage } from '../../../lib/error-message';
import { renderNoticeModal } from '../../../rendering/answer-modal';
import { renderAdrSettingsModal } from '../../../rendering/settings-view';
import { isSettingsAdmin } from '../../../slack/workspace-admins';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { teamIdOf } from '../../team-id';
import type { ButtonArgs } from '../listener-args';

/**
 * The Home tab's "Set/Change ADR repository": the form, for a workspace admin (checked now, not when the
 * tab was drawn); anyone else is told, in a small modal since the Home tab has no thread to answer in.
 */
export function editAdrSettings(deps: IngressDeps) {
  return async ({ ack, body, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const settings = deps.settings;
    if (!settings) return;
    const teamId = teamIdOf(body, context);
    try {
      if (!(await isSettingsAdmin(client, body.user.id, settings.admins))) {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: renderNoticeModal('Settings', replies.settingsAdminsOnly),
        });
        return;
      }
      const adr = (await settings.store.get(teamId))?.settings.adr;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderAdrSettingsModal(adr ? { name: `${adr.owner}/${adr.repo}`, path: adr.path } : undefined),
      });
    } catch (error) {
      deps.logger.warn({ teamId, err: errorMessage(error) }, 'could not open the ADR settings form');
    }
  };
}
