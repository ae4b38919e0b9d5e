import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { slackErrorCode } from './slack-errors';

const InfoSchema = z.object({
  channel: z.object({
    is_private: z.boolean().optional(),
    is_im: z.boolean().optional(),
    is_mpim: z.boolean().optional(),
  }),
});
const MembersPageSchema = z.object({
  members: z.array(z.string()).default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});
const UserSchema = z.object({
  user: z.object({
    is_restricted: z.boolean().optional(),
    is_ultra_restricted: z.boolean().optional(),
  }),
});

/** Whether a person may see a conversation, and if not, why, in words for them. */
export type ConversationAccess =
  | { ok: true }
  | { ok: false; why: 'not_member' | 'not_found' | 'cannot_check' };

/** conversations.members pages: Slack recommends at most 200 a page. */
const PAGE = 200;

/**
 * Whether `userId` can see `channelId` now, as far as the bot's token can tell: a public channel is
 * open to every full member of the workspace, while a private one (or a guest, who sees only the
 * channels they were invited to) needs membership, checked with conversations.members. A cached "what I
 * am looking at" is only a pointer: the person may have left the channel since.
 */
export async function conversationAccess(
  slack: WebClient,
  channelId: string,
  userId: string,
): Promise<ConversationAccess> {
  try {
    const info = InfoSchema.parse(await slack.conversations.info({ channel: channelId }));
    const isPublic = !info.channel.is_private && !info.channel.is_im && !info.channel.is_mpim;
    if (isPublic && !(await isGuest(slack, userId))) return { ok: true };
    return (await isMember(slack, channelId, userId)) ? { ok: true } : { ok: false, why: 'not_member' };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'channel_not_found') return { ok: false, why: 'not_found' };
    // missing_scope (an install from before channels:read was asked for), Slack down: refuse, never guess.
    return { ok: false, why: 'cannot_check' };
  }
}

async function isGuest(slack: WebClient, userId: string): Promise<boolean> {
  const { user } = UserSchema.parse(await slack.users.info({ user: userId }));
  return user.is_restricted === true || user.is_ultra_restricted === true;
}

async function isMember(slack: WebClient, channelId: string, userId: string): Promise<boolean> {
  for await (const raw of slack.paginate('conversations.members', { channel: channelId, limit: PAGE })) {
    if (MembersPageSchema.parse(raw).members.includes(userId)) return true;
  }
  return false;
}
