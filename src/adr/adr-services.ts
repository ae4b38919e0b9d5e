import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import { AdrRepository } from '../github/adr-repository';
import { createGitHubClient } from '../github/github-client';
import type { Logger } from '../logger';
import type { WorkspaceSettingsStore } from '../settings/workspace-settings';
import { SavedAdrs } from '../stores/saved-adrs';
import { AdrCatalog, type AdrReading, type AdrSource } from './adr-catalog';
import { LocalAdrFolder } from './local-adr-folder';
import { type PrecedentSource, TeamDecisions } from './precedent';
import type { AdrPublishing } from './save-adr';

export interface AdrServices {
  /** For the ingress: where "Save as ADR" puts an ADR besides the thread. */
  publishing: Omit<AdrPublishing, 'logger'>;
  /** For the worker: the team's ADRs as precedent; absent when neither a repository nor ADR_DIR is set. */
  precedent: PrecedentSource | undefined;
  /**
   * For `search_decisions` over MCP: the same catalog precedent reads (one reading shared by both), and
   * how the prompt names it; absent with `precedent`.
   */
  catalog: { label: string; read(): Promise<AdrReading> } | undefined;
}

/**
 * Each workspace's ADR services. With one workspace they come from the environment; in OAuth mode from
 * the workspace's own settings, so no workspace reads another's ADRs or opens pull requests in its
 * repository.
 */
export interface WorkspaceAdrServices {
  forTeam(teamId: string): Promise<AdrServices>;
}

type Deps = { redis: Redis; prefix: string; logger: Logger };

/** Single-workspace mode: GITHUB_REPOSITORY, GITHUB_TOKEN and ADR_DIR serve the one workspace. */
export function createAdrServices(config: Config['adr'], deps: Deps): WorkspaceAdrServices {
  const saved = new SavedAdrs(deps.redis, deps.prefix);
  const services = adrServicesFrom(config, saved, deps.logger);
  return { forTeam: async () => services };
}

/**
 * OAuth mode: a workspace's repository (owner/name, folder, token) as its admins set it in Settings;
 * none until they do. Built once per repository and token, so each keeps its catalog's cache.
 */
export function createWorkspaceAdrServices(
  settings: Pick<WorkspaceSettingsStore, 'get'>,
  options: { apiUrl: string | undefined },
  deps: Deps,
): WorkspaceAdrServices {
  const saved = new SavedAdrs(deps.redis, deps.prefix);
  const none = adrServicesFrom({ github: undefined, localDir: undefined }, saved, deps.logger);
  const built = new Map<string, AdrServices>();
  return {
    forTeam: async (teamId) => {
      const stored = await settings.get(teamId);
      const adr = stored?.settings.adr;
      if (!adr || !stored.githubToken) return none;
      // The token is part of the key (hashed): a new token gets a new client, never the old one's.
      const tokenHash = createHash('sha256').update(stored.githubToken).digest('hex').slice(0, 16);
      const key = `${teamId}|${adr.owner}/${adr.repo}|${adr.path}|${tokenHash}`;
      const known = built.get(key);
      if (known) return known;
      if (built.size >= 1000) built.clear();
      const services = adrServicesFrom(
        {
          github: {
            token: stored.githubToken,
            owner: adr.owner,
            repo: adr.repo,
            adrPath: adr.path,
            apiUrl: options.apiUrl,
          },
          localDir: undefined,
        },
        saved,
        deps.logger.child({ teamId }),
      );
      built.set(key, services);
      return services;
    },
  };
}

/**
 * What the ADR features need from one repository (through Octokit) or folder: the source reviews read
 * ADRs from (the folder first, else the repository) and where "Save as ADR" proposes them.
 */
function adrServicesFrom(
  config: Pick<Config['adr'], 'github' | 'localDir'>,
  saved: SavedAdrs,
  logger: Logger,
): AdrServices {
  const github = config.github;
  const repository = github
    ? new AdrRepository(
        createGitHubClient({ token: github.token, ...(github.apiUrl ? { apiUrl: github.apiUrl } : {}) }),
        { owner: github.owner, repo: github.repo, adrPath: github.adrPath },
      )
    : undefined;
  const name = github ? `${github.owner}/${github.repo}` : '';
  const localFolder = config.localDir ? new LocalAdrFolder(config.localDir) : undefined;
  const source: { source: AdrSource; label: string } | undefined = localFolder
    ? { source: localFolder, label: localFolder.dir }
    : repository
      ? { source: repository, label: `${name} ${repository.adrPath}` }
      : undefined;
  const catalog = source ? new AdrCatalog(source.source, { logger, label: source.label }) : undefined;
  return {
    publishing: {
      saved,
      ...(localFolder ? { localFolder } : {}),
      ...(repository
        ? {
            repository: {
              name,
              adrPath: repository.adrPath,
              openAdrPullRequest: (adr) => repository.openAdrPullRequest(adr),
            },
          }
        : {}),
    },
    precedent: catalog && source ? new TeamDecisions(catalog, { sourceLabel: source.label }) : undefined,
    catalog: catalog && source ? { label: source.label, read: () => catalog.current() } : undefined,
  };
}
