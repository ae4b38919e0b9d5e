/** The bot scopes an install asks for: manifest.yml's `oauth_config.scopes.bot` (a test keeps them equal). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'app_mentions:read',
  'reactions:read',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'users:read',
  'channels:read',
  'groups:read',
  'mpim:read',
  'files:read',
  'files:write',
  'assistant:write',
] as const;
