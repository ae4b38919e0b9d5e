/**
 * Every error Architect raises on purpose has a stable code from this set, so callers and tests branch
 * on the code, never on message text (as bolt-js does with its ErrorCode). Codes that reach logs
 * (`code` fields) keep their values: dashboards and alerts match on them.
 */
export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  StartupFailed: 'startup_failed',
  AgentsDirUnreadable: 'agents_dir_unreadable',
  DefaultAgentMissing: 'default_agent_missing',
  FrontMatterRefused: 'front_matter_refused',
  QueueUnavailable: 'queue_unavailable',
  SlackCallDropped: 'slack_call_dropped',
  InstallationNotFound: 'installation_not_found',
  SealedDataUnreadable: 'sealed_data_unreadable',
  CliFailed: 'cli_failed',
  ClaudeRejected: 'claude_rejected',
  ClaudeAuth: 'claude_auth',
  ClaudeUnavailable: 'claude_unavailable',
  ClaudeRateLimited: 'claude_rate_limited',
  InvalidOutput: 'invalid_output',
  BudgetSpent: 'budget_spent',
  GitHubUnauthorized: 'github_unauthorized',
  GitHubRepoNotFound: 'github_repo_not_found',
  GitHubBranchExists: 'github_branch_exists',
  GitHubFailed: 'github_failed',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The base of every error class of Architect's own: a message for people and a code for code. */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `error` is one of Architect's own (with `code` given: one with that code). */
export function isCodedError<C extends ErrorCode>(error: unknown, code?: C): error is CodedError<C> {
  return error instanceof CodedError && (code === undefined || error.code === code);
}
