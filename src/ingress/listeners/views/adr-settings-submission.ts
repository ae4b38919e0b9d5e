import { z } from 'zod';
import { errorMessage } from '../../../lib/error-message';
import { renderNoticeModal } from '../../../rendering/answer-modal';
import { InputId } from '../../../rendering/interactions';
import { WorkspaceSettingsSchema } from '../../../settings/workspace-settings';
import { isSettingsAdmin } from '../../../slack/workspace-admins';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { teamIdOf } from '../../team-id';
import { publishHome } from '../events/app-home-opened';
import type { SubmissionArgs } from '../listener-args';

const text = (id: string) =>
  z.object({ [id]: z.object({ [id]: z.object({ value: z.string().nullish() }) }) }).partial();
const StateSchema = text(InputId.settingsRepository)
  .and(text(InputId.settingsAdrPath))
  .and(text(InputId.settingsGithubToken));
const AdrSchema = WorkspaceSettingsSchema.shape.adr.unwrap();

/**
 * The ADR repository form submitted: the submitter is checked to be an admin again (a form can be
 * forged), the fields are checked with inline errors, and the token is stored sealed, never shown back.
 */
export function adrSettingsSubmission(deps: IngressDeps) {
  return async ({ ack, view, body, client, context }: SubmissionArgs): Promise<void> => {
    const settings = deps.settings;
    const teamId = teamIdOf(body, context);
    if (!settings || !(await isSettingsAdmin(client, body.user.id, settings.admins))) {
      await ack({
        response_action: 'update',
        view: renderNoticeModal('Not saved', replies.settingsAdminsOnly),
      });
      return;
    }
    const state = StateSchema.safeParse(view.state.values);
    const value = (id: string) =>
      state.success
        ? (
            (state.data as Record<string, Record<string, { value?: string | null }>>)[id]?.[id]?.value ?? ''
          ).trim()
        : '';
    const [owner = '', repo = '', ...extra] = value(InputId.settingsRepository).split('/');
    const adr = AdrSchema.safeParse({
      owner,
      repo,
      path: value(InputId.settingsAdrPath).replace(/\/+$/, ''),
    });
    const token = value(InputId.settingsGithubToken);
    const stored = await settings.store.get(teamId).catch(() => undefined);
    const errors: Record<string, string> = {};
    if (!adr.success || extra.length > 0) {
      const fields = adr.success ? [] : adr.error.issues.map((i) => String(i.path[0]));
      if (extra.length > 0 || fields.includes('owner') || fields.includes('repo'))
        errors[InputId.settingsRepository] = replies.settingsBadRepository;
      if (fields.includes('path')) errors[InputId.settingsAdrPath] = replies.settingsBadPath;
    }
    if (!token && !stored?.githubToken) errors[InputId.settingsGithubToken] = replies.settingsTokenRequired;
    if (token && !/^[A-Za-z0-9_]{20,255}$/.test(token))
      errors[InputId.settingsGithubToken] = replies.settingsBadToken;
    if (Object.keys(errors).length > 0 || !adr.success) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    try {
      await settings.store.save(
        teamId,
        { ...(stored?.settings ?? {}), adr: adr.data },
        token || undefined,
        body.user.id,
      );
    } catch (error) {
      deps.logger.error({ teamId, err: errorMessage(error) }, 'could not save the workspace settings');
      await ack({
        response_action: 'errors',
        errors: { [InputId.settingsRepository]: replies.settingsNotSaved },
      });
      return;
    }
    await ack();
    await publishHome(deps, client, teamId, body.user.id).catch((error: unknown) =>
      deps.logger.warn({ err: errorMessage(error) }, 'could not redraw the Home tab'),
    );
  };
}
