import type { SlackFile } from './files';

/** One message of a Slack thread as the consultation sees it. */
export interface ThreadMessage {
  ts: string;
  /** The thread this message belongs to, when it is a reply or a thread parent. */
  threadTs: string | undefined;
  userId: string | undefined;
  /** True for the bot's own messages: they become assistant turns. */
  fromThisBot: boolean;
  /** True for other bots' messages. */
  fromOtherBot: boolean;
  text: string;
  /** Files shared with the message (parsed from Slack's `files`); absent when there are none. */
  files?: SlackFile[];
}
