import type { Redis } from 'ioredis';
import { z } from 'zod';
import { withTimeout } from '../lib/with-timeout';

/**
 * What a person is looking at in Slack while the agent's DM is open, as Slack's app context tells it
 * (app_context_changed, the `app_context` folded into DM messages, or the legacy split view's thread
 * context): a message (and so its thread), a channel, or something the bot cannot read.
 */
export type ViewedContext =
  | { kind: 'message'; channelId: string; messageTs: string }
  | { kind: 'channel'; channelId: string }
  | { kind: 'unreadable'; what: string };

const slackId = z.string().regex(/^[A-Z0-9]+$/);
const slackTs = z.string().regex(/^\d+\.\d+$/);

const MessageEntitySchema = z.object({
  type: z.literal('slack#/types/message_context'),
  value: z.object({ channel_id: slackId, message_ts: slackTs }),
});
const ChannelEntitySchema = z.object({ type: z.literal('slack#/types/channel_id'), value: slackId });
const AnyEntitySchema = z.object({ type: z.string() });

/** Slack's app context: `{ entities: [...] }` ordered by relevance, or `{}` when there is none. */
export const AppContextSchema = z.object({ entities: z.array(z.unknown()).optional() });

const UNREADABLE: Record<string, string> = {
  'slack#/types/canvas_id': 'a canvas',
  'slack#/types/list_id': 'a list',
};

/** The most relevant entity of an app context; undefined when Slack named none. */
export function viewedContextOf(context: unknown): ViewedContext | undefined {
  const parsed = AppContextSchema.safeParse(context);
  if (!parsed.success) return undefined;
  for (const raw of parsed.data.entities ?? []) {
    const message = MessageEntitySchema.safeParse(raw);
    if (message.success) {
      const { channel_id, message_ts } = message.data.value;
      return { kind: 'message', channelId: channel_id, messageTs: message_ts };
    }
    const channel = ChannelEntitySchema.safeParse(raw);
    if (channel.success) return { kind: 'channel', channelId: channel.data.value };
    const other = AnyEntitySchema.safeParse(raw);
    if (other.success)
      return { kind: 'unreadable', what: UNREADABLE[other.data.type] ?? 'something I can’t read' };
  }
  return undefined;
}

const StoredSchema = z.union([
  z.object({ kind: z.literal('message'), channelId: slackId, messageTs: slackTs }),
  z.object({ kind: z.literal('channel'), channelId: slackId }),
  z.object({ kind: z.literal('unreadable'), what: z.string() }),
]);

/**
 * The latest context each person was looking at, in Redis so that whichever replica takes their DM
 * finds it. It lasts an hour: an older one is no longer what they mean by "this".
 */
export class ViewedContexts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 3600,
    private readonly timeoutMs = 2000,
  ) {}

  key(teamId: string, userId: string): string {
    return `${this.prefix}:viewed-context:${teamId}:${userId}`;
  }

  /** Records what the person looks at now; no context forgets the earlier one. */
  async save(teamId: string, userId: string, context: ViewedContext | undefined): Promise<void> {
    const key = this.key(teamId, userId);
    const write: Promise<unknown> = context
      ? this.redis.set(key, JSON.stringify(context), 'EX', this.ttlSeconds)
      : this.redis.del(key);
    await withTimeout(write, this.timeoutMs, 'saving the viewed context timed out');
  }

  async get(teamId: string, userId: string): Promise<ViewedContext | undefined> {
    const raw = await withTimeout(
      this.redis.get(this.key(teamId, userId)),
      this.timeoutMs,
      'reading the viewed context timed out',
    );
    if (!raw) return undefined;
    try {
      const parsed = StoredSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
