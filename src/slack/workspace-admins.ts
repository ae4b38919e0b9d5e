import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

const UserSchema = z.object({
  user: z.object({
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
  }),
});

/**
 * Whether `userId` may change the workspace's Architect settings: a Slack workspace admin or owner (as
 * users.info says now, not as it said when the Home tab was drawn), or someone SETTINGS_ADMINS names.
 * Slack not answering means no.
 */
export async function isSettingsAdmin(
  slack: WebClient,
  userId: string,
  settingsAdmins: readonly string[],
): Promise<boolean> {
  if (settingsAdmins.includes(userId)) return true;
  try {
    const { user } = UserSchema.parse(await slack.users.info({ user: userId }));
    return user.is_admin === true || user.is_owner === true || user.is_primary_owner === true;
  } catch {
    return false;
  }
}
