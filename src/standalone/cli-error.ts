import { ConsultationError } from '../consultation/claude-consultant';
import { CodedError, ErrorCode } from '../errors';
import { GitHubError } from '../github/github-error';
import { errorMessage } from '../lib/error-message';

/**
 * A problem the person running the command can fix (a missing file or key, an unknown agent, a bad
 * option): printed as one line on stderr, without a stack trace, and the command exits 1.
 */
export class CliError extends CodedError<typeof ErrorCode.CliFailed> {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CliFailed, message, options);
  }
}

/** What the person is told: Architect's own errors in their own words, anything else by its message. */
export function describeError(error: unknown): string {
  if (error instanceof ConsultationError) {
    // The worker's wording speaks of the bot and its admin; here the key is the reader's own.
    return error.code === ErrorCode.ClaudeAuth
      ? 'Claude refused the API key: check ANTHROPIC_API_KEY.'
      : error.userMessage;
  }
  if (error instanceof GitHubError) return error.userMessage;
  return errorMessage(error);
}

/** The reason as the command line prints it: `describeError` on one line. */
export function oneLineReason(error: unknown): string {
  return describeError(error).replace(/\s+/g, ' ').trim();
}
