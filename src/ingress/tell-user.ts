import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';

/** Sends an ephemeral note to one user, in a thread when given; a failure is logged, never thrown. */
export async function tellUser(
  client: WebClient,
  logger: Logger,
  where: { channel: string; user: string; threadTs?: string | undefined },
  text: string,
): Promise<void> {
  try {
    await client.chat.postEphemeral({
      channel: where.channel,
      user: where.user,
      text,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    });
  } catch (error) {
    logger.warn({ err: errorMessage(error) }, 'could not send ephemeral message');
  }
}
