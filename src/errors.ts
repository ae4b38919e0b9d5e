/**
 * Every error Architect raises on purpose has a stable code from this set, so callers and tests branch
 * on the code, never on message text (as bolt-js does with its ErrorCode).
 */
export const ErrorCode = {
  ConfigInvalid: 'ARCHITECT_CONFIG_INVALID',
  StartupFailed: 'ARCHITECT_STARTUP_FAILED',
  AgentsDirUnreadable: 'ARCHITECT_AGENTS_DIR_UNREADABLE',
  DefaultAgentMissing: 'ARCHITECT_DEFAULT_AGENT_MISSING',
  QueueUnavailable: 'ARCHITECT_QUEUE_UNAVAILABLE',
  ClaudeRejected: 'claude_rejected',
  ClaudeAuth: 'claude_auth',
  ClaudeUnavailable: 'claude_unavailable',
  ClaudeRateLimited: 'claude_rate_limited',
  InvalidOutput: 'invalid_output',
  BudgetSpent: 'budget_spent',
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

/** Whether `error` is one of Architect's own, with a code worth showing instead of a stack. */
export function isCodedError(error: unknown): error is CodedError {
  return error instanceof CodedError;
}
