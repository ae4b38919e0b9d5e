import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import { AdrRepository } from '../github/adr-repository';
import { createGitHubClient } from '../github/github-client';
import type { Logger } from '../logger';
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
 * Builds what the ADR features need from the configuration: the repository (GITHUB_REPOSITORY and
 * GITHUB_TOKEN, through Octokit), the source reviews read ADRs from (ADR_DIR first, else the repository)
 * and the per-person list of saved ADRs for the Home tab.
 */
export function createAdrServices(
  config: Config['adr'],
  deps: { redis: Redis; prefix: string; logger: Logger },
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
  const catalog = source
    ? new AdrCatalog(source.source, { logger: deps.logger, label: source.label })
    : undefined;
  return {
    publishing: {
      saved: new SavedAdrs(deps.redis, deps.prefix),
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
