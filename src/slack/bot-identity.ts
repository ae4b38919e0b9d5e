import { ErrorCode as SlackErrorCode, type WebClient } from '@slack/web-api';
import { CodedError, ErrorCode } from '../errors';
import { errorMessage } from '../lib/error-message';

/** Who the bot is in Slack: its own messages and mentions are recognised by these. */
export interface BotIdentity {
  userId: string;
  botId: string;
  /** The workspace the token belongs to (auth.test's team_id), when Slack names it. */
  teamId?: string;
}

/** Thrown when start-up cannot complete; the message says what to fix. */
export class StartupError extends CodedError<typeof ErrorCode.StartupFailed> {
  constructor(message: string) {
    super(ErrorCode.StartupFailed, message);
  }
}

/** Who the bot is in Slack, from auth.test; a token Slack refuses, or no Slack at all, stops start-up. */
export async function resolveBotIdentity(slack: WebClient, apiUrl: string | undefined): Promise<BotIdentity> {
  try {
    const result = await slack.auth.test();
    if (!result.user_id || !result.bot_id)
      throw new Error('auth.test did not name a bot user: is SLACK_BOT_TOKEN a bot token?');
    return {
      userId: result.user_id,
      botId: result.bot_id,
      ...(result.team_id ? { teamId: result.team_id } : {}),
    };
  } catch (error) {
    const platformError = (error as { code?: string }).code === SlackErrorCode.PlatformError;
    const detail = errorMessage(error);
    throw new StartupError(
      platformError
        ? `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${detail})`
        : `Could not reach Slack at ${apiUrl ?? 'https://slack.com/api/'} (auth.test: ${detail})`,
    );
  }
}
