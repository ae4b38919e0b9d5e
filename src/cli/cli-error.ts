/**
 * A problem the person running the command can fix (a missing file or key, an unknown agent, a bad
 * option): printed as one line on stderr, without a stack trace, and the command exits 1.
 */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}
