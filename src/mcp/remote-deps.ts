import type { AdrReading } from '../adr/adr-catalog';
import type { AgentRegistry } from '../agents/agent-registry';
import type { PrecedentSource } from '../domain/precedent';
import type { Logger } from '../logger';
import { CliError } from '../standalone/cli-error';
import type { Consultant } from '../standalone/consultant';
import { packageVersion } from '../standalone/package-version';
import type { CostGuard } from '../stores/cost-guard';
import type { ArchitectMcpDeps } from './architect-mcp-server';
import { admitRemoteReview } from './remote-admission';

/**
 * The tools as `POST /mcp` serves them: the deployment's agents, settings and ADRs (the same for every
 * workspace it serves), reviews admitted against `teamId`'s budget, and no file reading (the server's
 * files are not the caller's).
 */
export function remoteMcpDeps(parts: {
  agents: AgentRegistry;
  defaultAgent: string;
  context: ArchitectMcpDeps['context'];
  consultant: Consultant;
  costGuard: Pick<CostGuard, 'admit' | 'canSpend' | 'recordTokens'>;
  adrs: { label: string; read(): Promise<AdrReading>; precedent: PrecedentSource } | undefined;
  teamId: string | undefined;
  logger: Logger;
}): (tokenNumber: number) => ArchitectMcpDeps {
  const version = packageVersion();
  const { teamId } = parts;
  const scope = `Uses this Architect deployment's agents and ADRs${parts.adrs ? ` (${parts.adrs.label})` : ''}; reviews count against Slack workspace ${teamId ?? '(unknown)'}'s daily budget.`;
  return (tokenNumber) => ({
    version,
    agents: parts.agents,
    defaultAgent: parts.defaultAgent,
    context: parts.context,
    adrs: parts.adrs,
    noAdrsReason: 'this Architect has no team ADRs: its operator sets ADR_DIR or GITHUB_REPOSITORY',
    admitReview: async () => {
      if (!teamId)
        throw new CliError('MCP reviews are off: set MCP_TEAM_ID (the workspace whose budget they use)');
      return admitRemoteReview(parts.costGuard, parts.consultant, { teamId, tokenNumber }, parts.logger);
    },
    scope,
  });
}
