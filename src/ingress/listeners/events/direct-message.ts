import type { Context } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { accessRefusal } from '../../../access/access-policy';
import { errorMessage } from '../../../lib/error-message';
import type { QueuedRequest } from '../../../queue/consultation-job';
import { conversationAccess } from '../../../slack/conversation-access';
import { type ViewedContext, viewedContextOf } from '../../../stores/viewed-context';
import type { IngressDeps } from '../../ingress-deps';
import { queueConsultation } from '../../queue-consultation';
import { replies } from '../../replies';
import { decideRequest } from '../../request-decision';
import { parseMentionText } from '../../request-text';
import { teamIdOf } from '../../team-id';

const DirectMessageSchema = z.object({
  channel: z.string().regex(/^D[A-Z0-9]+$/),
  channel_type: z.literal('im'),
  user: z
    .string()
    .regex(/^[A-Z0-9]+$/)
    .optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().regex(/^\d+\.\d+$/),
  thread_ts: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
  files: z.array(z.unknown()).optional(),
  app_context: z.unknown().optional(),
});
type DirectMessage = z.infer<typeof DirectMessageSchema>;

/** "review this", "please review that", "review what I'm looking at". */
const REVIEW_THIS =
  /^(please\s+)?(review|check)\s+(this|that|it|what\s+i['’]?m\s+(looking\s+at|viewing))\b[\s.!?]*$/i;
/** Conversation titles Slack shows in the agent's history. */
const TITLE_CHARS = 60;

export interface DirectMessageArgs {
  payload: unknown;
  body: unknown;
  client: WebClient;
  context: Context;
}

/**
 * A person's message to the bot's DM is a request: the reply goes in the message's thread (under the
 * agent view every top-level message starts its own), and the DM thread is the context. "review this"
 * reviews what Slack says the person is looking at instead. The same allowlists, rate limit, cost guard
 * and redelivery dedupe apply as everywhere. Used for app.event('message') and the Assistant's userMessage.
 */
export function directMessage(deps: IngressDeps) {
  return async ({ payload, body, client, context }: DirectMessageArgs): Promise<void> => {
    const parsed = DirectMessageSchema.safeParse(payload);
    if (!parsed.success) return;
    const message = parsed.data;
    // Bots (this one included) never trigger reviews; edits, deletions and joins are not requests.
    if (message.bot_id || !message.user || message.user === context.botUserId) return;
    if (message.subtype && message.subtype !== 'file_share') return;
    await handle(deps, client, context, teamIdOf(body, context), { ...message, user: message.user });
  };
}

async function handle(
  deps: IngressDeps,
  client: WebClient,
  context: Context,
  teamId: string,
  message: DirectMessage & { user: string },
): Promise<void> {
  const threadTs = message.thread_ts ?? message.ts;
  const reply = (text: string) => replyInThread(deps, client, message.channel, threadTs, text);
  const hasFiles = (message.files?.length ?? 0) > 0;
  const parsed = parseMentionText(message.text ?? '', context.botUserId);
  const decision = decideRequest(deps, parsed, hasFiles || Boolean(message.thread_ts));
  if (decision.kind === 'reply') return reply(decision.text);
  const { agentName, text } = decision;

  let contextRef: QueuedRequest['contextRef'];
  if (REVIEW_THIS.test(text) && !hasFiles) {
    const viewed = viewedContextOf(message.app_context) ?? (await storedContext(deps, teamId, message.user));
    if (viewed?.kind === 'unreadable') return reply(replies.cannotReadViewed(viewed.what));
    if (viewed) contextRef = refOf(viewed);
    // In a conversation that already holds a design, "review this" means the conversation.
    else if (!message.thread_ts) return reply(replies.noViewedContext);
  }
  if (contextRef) {
    const refused = await viewedRefusal(deps, client, teamId, message.user, contextRef.channelId);
    if (refused) return reply(refused);
  }

  const outcome = await queueConsultation(
    deps,
    {
      trigger: 'dm',
      teamId,
      channelId: message.channel,
      userId: message.user,
      agentName,
      text,
      threadTs,
      messageTs: message.ts,
      ...(contextRef ? { contextRef } : {}),
    },
    `dm:${message.channel}:${message.ts}`,
  );
  if (!outcome.queued) {
    if (outcome.refusal) await reply(replies.refusal(outcome.refusal));
    return;
  }
  // The first message of a conversation names it in the agent's history.
  if (!outcome.duplicate && !message.thread_ts)
    await client.assistant.threads
      .setTitle({ channel_id: message.channel, thread_ts: threadTs, title: titleOf(text, contextRef) })
      .catch((error: unknown) =>
        deps.logger.debug({ err: errorMessage(error) }, 'could not set the conversation title'),
      );
}

async function storedContext(
  deps: IngressDeps,
  teamId: string,
  userId: string,
): Promise<ViewedContext | undefined> {
  return deps.viewedContexts?.get(teamId, userId).catch((error: unknown) => {
    deps.logger.warn({ err: errorMessage(error) }, 'could not read what the person is looking at');
    return undefined;
  });
}

/**
 * Why the person may not have the conversation they look at reviewed into their DM, checked now: it
 * must be a channel the allowlists let in, and one they can see (they may have left it since Slack
 * last said what they were looking at). Undefined when they may.
 */
async function viewedRefusal(
  deps: IngressDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  channelId: string,
): Promise<string | undefined> {
  const refusedBy = accessRefusal(deps.access, { teamId, channelId, userId });
  if (refusedBy) return replies.notAllowed(refusedBy);
  const access = await conversationAccess(client, channelId, userId);
  // A conversation the bot cannot find either is the worker's to explain, as for any request.
  if (access.ok || access.why === 'not_found') return undefined;
  deps.logger.info({ teamId, channelId, why: access.why }, 'review of a viewed conversation refused');
  return replies.cannotSeeViewed(access.why);
}

function refOf(viewed: ViewedContext & { kind: 'message' | 'channel' }): QueuedRequest['contextRef'] {
  return viewed.kind === 'message'
    ? { channelId: viewed.channelId, messageTs: viewed.messageTs }
    : { channelId: viewed.channelId };
}

function titleOf(text: string, contextRef: QueuedRequest['contextRef']): string {
  if (contextRef) return contextRef.messageTs ? 'Review of a thread' : 'Review of a channel';
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  if (!line) return 'Review of a shared file';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1).trimEnd()}…` : line;
}

/** Answers in the DM thread, where the person is talking to the bot; a failure is logged. */
async function replyInThread(
  deps: IngressDeps,
  client: WebClient,
  channel: string,
  threadTs: string,
  text: string,
): Promise<void> {
  await client.chat
    .postMessage({ channel, thread_ts: threadTs, text })
    .catch((error: unknown) => deps.logger.warn({ err: errorMessage(error) }, 'could not answer in the DM'));
}
