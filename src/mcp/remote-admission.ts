import { randomUUID } from 'node:crypto';
import { billedTokens, estimateConsultTokens } from '../access/claude-spend';
import { budgetSpentText, rateLimitedText, utcTime } from '../access/limit-text';
import { ConsultationError } from '../consultation/claude-consultant';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';
import { CliError } from '../standalone/cli-error';
import type { Consultant } from '../standalone/consultant';
import type { CostGuard } from '../stores/cost-guard';

/**
 * An MCP review over HTTP is admitted as a Slack review is: counted against the person's hourly limit
 * (here the caller is its token, "mcp-token-N") and the workspace's daily budget, then, right before
 * Claude is called, checked against what the day has left, and every token Claude bills is counted.
 */
export interface RemoteCaller {
  /** MCP_TEAM_ID, or the bot token's workspace: whose budget this review spends. */
  teamId: string;
  /** Stands for the person in the hourly limit: which MCP_TOKEN the request named (1-based). */
  tokenNumber: number;
}

export async function admitRemoteReview(
  guard: Pick<CostGuard, 'admit' | 'canSpend' | 'recordTokens'>,
  consultant: Consultant,
  caller: RemoteCaller,
  logger: Logger,
): Promise<Consultant> {
  const admission = await guard.admit(caller.teamId, `mcp-token-${caller.tokenNumber}`, randomUUID());
  if (!admission.ok) {
    throw new CliError(
      admission.reason === 'rate_limit'
        ? rateLimitedText(admission.limit, admission.resetsAt, utcTime).replace('per person', 'per MCP token')
        : budgetSpentText(
            admission.resetsAt,
            admission.reason === 'cost_guard' ? admission.scope : undefined,
            utcTime,
          ),
    );
  }
  const record = (tokens: number) =>
    guard
      .recordTokens(caller.teamId, tokens)
      .catch((e: unknown) => logger.warn({ err: errorMessage(e) }, 'could not record token spend'));
  return {
    consult: async (params) => {
      const verdict = await guard.canSpend(caller.teamId, estimateConsultTokens(params));
      if (!verdict.ok)
        throw new CliError(
          budgetSpentText(
            verdict.resetsAt,
            verdict.reason === 'cost_guard' ? verdict.scope : undefined,
            utcTime,
          ),
        );
      try {
        const answer = await consultant.consult(params);
        await record(billedTokens(answer.usage));
        return answer;
      } catch (error) {
        if (error instanceof ConsultationError) await record(billedTokens(error.usage));
        throw error;
      }
    },
  };
}
