import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { parseSlackFiles } from '../consultation/files';
import type { ThreadMessage } from '../consultation/thread-message';
import type { BotIdentity } from './bot-identity';
import { slackErrorCode } from './slack-errors';

export type { ThreadMessage };

const SlackMessageSchema = z.object({
  ts: z.string(),
  text: z.string().optional().default(''),
  user: z.string().optional(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  files: z.array(z.unknown()).optional(),
  metadata: z
    .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
    .optional(),
});

/**
 * Message metadata the bot puts on a message it posts on a person's behalf (their answers, the
 * request a command's thread opens with): read back, the message is that person's words, not the bot's.
 */
export const ON_BEHALF_EVENT_TYPE = 'architect_answers';
const RepliesPageSchema = z.object({
  messages: z.array(z.unknown()).optional().default([]),
});

/** Reads Slack threads and single messages for the worker, every page, parsing what Slack sends. */
export class ThreadReader {
  constructor(
    private readonly slack: WebClient,
    private readonly bot: BotIdentity,
  ) {}

  /** Every message of the thread under `threadTs`, oldest first (the root included). */
  async readThread(channel: string, threadTs: string): Promise<ThreadMessage[]> {
    const out: ThreadMessage[] = [];
    // Slack repeats the thread's parent at the top of every page; keep each message once.
    const seen = new Set<string>();
    // Metadata marks what the bot posted on a person's behalf; Slack returns it only when asked.
    for await (const page of this.slack.paginate('conversations.replies', {
      channel,
      ts: threadTs,
      limit: 200,
      include_all_metadata: true,
    })) {
      for (const raw of RepliesPageSchema.parse(page).messages) {
        const message = this.toThreadMessage(raw);
        if (message && !seen.has(message.ts)) {
          seen.add(message.ts);
          out.push(message);
        }
      }
    }
    return out;
  }

  /** The channel's latest top-level messages (threads as their parents), oldest first. */
  async readRecent(channel: string, limit: number): Promise<ThreadMessage[]> {
    const history = await this.slack.conversations.history({ channel, limit, include_all_metadata: true });
    return (history.messages ?? [])
      .map((m) => this.toThreadMessage(m))
      .filter((m): m is ThreadMessage => m !== undefined)
      .reverse();
  }

  /** The single message at `ts`, whether it is top-level or a reply in a thread. */
  async readMessage(channel: string, ts: string): Promise<ThreadMessage | undefined> {
    const history = await this.slack.conversations.history({
      channel,
      latest: ts,
      oldest: ts,
      inclusive: true,
      limit: 1,
      include_all_metadata: true,
    });
    const top = (history.messages ?? []).map((m) => this.toThreadMessage(m)).find((m) => m?.ts === ts);
    if (top) return top;
    // A reply's ts also names no thread of its own once the message is deleted: Slack says thread_not_found.
    const replies = await this.slack.conversations
      .replies({ channel, ts, latest: ts, inclusive: true, limit: 1, include_all_metadata: true })
      .catch((error: unknown) => {
        if (slackErrorCode(error) === 'thread_not_found') return { messages: [] };
        throw error;
      });
    return (replies.messages ?? []).map((m) => this.toThreadMessage(m)).find((m) => m?.ts === ts);
  }

  private toThreadMessage(raw: unknown): ThreadMessage | undefined {
    const parsed = SlackMessageSchema.safeParse(raw);
    if (!parsed.success) return undefined;
    const m = parsed.data;
    // Join/leave notices and the like carry no design content.
    if (m.subtype && !['bot_message', 'thread_broadcast', 'file_share', 'me_message'].includes(m.subtype)) {
      return undefined;
    }
    const postedByThisBot =
      m.user === this.bot.userId || (m.bot_id !== undefined && m.bot_id === this.bot.botId);
    // Answers the bot posted for a person are that person's words, not the bot's.
    const onBehalfOf =
      postedByThisBot && m.metadata?.event_type === ON_BEHALF_EVENT_TYPE
        ? m.metadata.event_payload?.user_id
        : undefined;
    const fromThisBot = postedByThisBot && typeof onBehalfOf !== 'string';
    return {
      ts: m.ts,
      threadTs: m.thread_ts,
      userId: typeof onBehalfOf === 'string' ? onBehalfOf : m.user,
      fromThisBot,
      fromOtherBot: !postedByThisBot && m.bot_id !== undefined,
      text: m.text,
      ...(m.files?.length ? { files: parseSlackFiles(m.files) } : {}),
    };
  }
}
