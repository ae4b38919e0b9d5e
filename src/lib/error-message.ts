/** The message of anything thrown, for logs and plain-language errors: libraries throw non-Errors too. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
