import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { SlackMessage } from '../rendering/slack-message';

/** Posting, updating and deleting the bot's messages in a thread: the worker's whole Slack write surface. */

/** Deletes a message a crashed attempt left behind; one already gone is fine. */
export async function deleteLeftover(
  slack: WebClient,
  channel: string,
  ts: string,
  log: Logger,
): Promise<void> {
  await slack.chat.delete({ channel, ts }).catch((error: unknown) => {
    const code = (error as { data?: { error?: unknown } }).data?.error;
    if (code === 'message_not_found') return;
    log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'could not delete a leftover message',
    );
  });
}

/** Posts a message (in a thread when `threadTs` is given) and returns its ts. */
export async function postMessage(
  slack: WebClient,
  channel: string,
  threadTs: string | undefined,
  message: SlackMessage,
  metadata?: { event_type: string; event_payload: Record<string, string> },
): Promise<string> {
  const res = await slack.chat.postMessage({
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(metadata ? { metadata } : {}),
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  if (!res.ts) throw new Error('chat.postMessage answered without a ts');
  return res.ts;
}

export async function updateMessage(
  slack: WebClient,
  channel: string,
  ts: string,
  message: SlackMessage,
): Promise<void> {
  await slack.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
}

/** The first message replaces the placeholder; the rest follow it in the thread. */
export async function deliver(
  slack: WebClient,
  channel: string,
  threadTs: string,
  placeholderTs: string,
  messages: SlackMessage[],
): Promise<string[]> {
  const [first, ...rest] = messages;
  if (!first) throw new Error('rendering produced no message');
  await updateMessage(slack, channel, placeholderTs, first);
  const delivered = [placeholderTs];
  for (const message of rest) delivered.push(await postMessage(slack, channel, threadTs, message));
  return delivered;
}
