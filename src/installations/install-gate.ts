import type { ServerResponse } from 'node:http';
import type { Installation } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { errorMessage } from '../lib/error-message';
import { escapeHtml } from '../lib/escape-html';
import type { Logger } from '../logger';

/**
 * Whether an installation may be kept: with ALLOWED_TEAMS set, only a listed workspace (T…) or, for an
 * org-wide install, a listed organisation (E…). An empty list lets every workspace in.
 */
export function installAllowed(allowedTeams: readonly string[], installation: Installation): boolean {
  if (allowedTeams.length === 0) return true;
  const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
  return id !== undefined && allowedTeams.includes(id);
}

/**
 * Bolt's afterInstallation hook: a workspace the deployment does not serve is refused before its
 * installation is stored, its freshly issued token revoked (the app does not stay installed there),
 * and the installer shown why.
 */
export function refuseUnlistedInstalls(
  allowedTeams: readonly string[],
  clientOptions: WebClientOptions,
  logger: Logger,
): (installation: Installation, ...rest: [unknown, unknown, ServerResponse]) => Promise<boolean> {
  return async (installation, _options, _req, res) => {
    if (installAllowed(allowedTeams, installation)) return true;
    const teamId = installation.team?.id;
    const enterpriseId = installation.enterprise?.id;
    logger.warn({ teamId, enterpriseId }, 'install refused: the workspace is not in ALLOWED_TEAMS');
    const token = installation.bot?.token;
    if (token) {
      await new WebClient(token, clientOptions).auth
        .revoke()
        .catch((error: unknown) =>
          logger.warn({ err: errorMessage(error) }, 'could not revoke the refused install’s token'),
        );
    }
    const name = escapeHtml(installation.team?.name ?? installation.enterprise?.name ?? 'This workspace');
    res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><meta charset="utf-8"><title>Architect: not installed</title></head><body>` +
        `<h1>Architect was not installed</h1><p>${name} is not one of the workspaces this Architect deployment serves, so it was not installed and nothing was kept. ` +
        `If you think it should be, ask the people who run this deployment to add your workspace (ALLOWED_TEAMS).</p></body></html>`,
    );
    return false;
  };
}
