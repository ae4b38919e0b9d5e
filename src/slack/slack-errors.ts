/** The `error` string of a Slack Web API platform error (`not_in_channel`, say), when it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/** Slack errors that mean the bot cannot read or post in the channel at all: retrying cannot help. */
const CHANNEL_CLOSED_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

export function isChannelClosed(error: unknown): boolean {
  return CHANNEL_CLOSED_ERRORS.has(slackErrorCode(error) ?? '');
}
