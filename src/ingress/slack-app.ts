import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config/config';
import { errorMessage } from '../lib/error-message';
import { withTimeout } from '../lib/with-timeout';
import type { Logger } from '../logger';
import type { BotIdentity } from '../slack/bot-identity';
import { toSlackLogger } from '../slack/slack-logger';
import { webClientOptions } from '../slack/web-client';
import type { IngressDeps } from './ingress-deps';
import { registerListeners } from './listeners';

export interface SlackIngress {
  app: App;
  /** Bolt's HTTP handler for POST /slack/events, in HTTP mode; the process's own server routes to it. */
  requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether Slack can reach this ingress: always in HTTP mode, while the WebSocket is up in Socket Mode. */
  isConnected(): boolean;
}

const SOMETHING_WENT_WRONG =
  'Something went wrong on Architect’s side; nothing was queued. Please try again.';

/** Builds the Bolt app in Socket Mode or HTTP mode, every Slack client pointed at SLACK_API_URL. */
export function createSlackIngress(
  config: Config,
  logger: Logger,
  bot: BotIdentity,
  deps: IngressDeps,
): SlackIngress {
  const slackLogger = toSlackLogger(logger.child({ component: 'bolt' }));
  const clientOptions = webClientOptions({
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    logger,
    ...(deps.metrics ? { fetch: deps.metrics.slackFetch() } : {}),
  });
  // Knowing the bot's ids, Bolt skips its own (unawaited) auth.test calls.
  const common = {
    token: config.slack.botToken,
    botId: bot.botId,
    botUserId: bot.userId,
    logger: slackLogger,
    clientOptions,
  };

  let app: App;
  let requestListener: RequestListener | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  let socketConnected = false;
  if (config.slack.mode === 'http') {
    const receiver = httpReceiver(config, logger, slackLogger);
    app = new App({ ...common, receiver });
    requestListener = receiver.requestListener;
  } else {
    socketReceiver = new SocketModeReceiver({
      appToken: config.slack.appToken ?? '',
      logger: slackLogger,
      installerOptions: { clientOptions },
    });
    app = new App({ ...common, receiver: socketReceiver });
  }
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error({ code: error.code, err: error.message }, 'unhandled error in a Slack listener');
  });

  return {
    app,
    requestListener,
    start: async () => {
      if (!socketReceiver) return;
      const client = socketReceiver.client;
      client.on('connected', () => {
        socketConnected = true;
      });
      client.on('disconnected', () => {
        socketConnected = false;
      });
      client.on('reconnecting', () => {
        socketConnected = false;
      });
      // The client retries forever (a wrong app token included); start-up goes on and /readyz tells.
      const started = socketReceiver.start().catch((error: unknown) => {
        logger.error({ err: errorMessage(error) }, 'Socket Mode could not start');
      });
      await withTimeout(started, 10_000, 'Socket Mode did not connect within 10 s').catch((error: unknown) =>
        logger.warn({ err: errorMessage(error) }, 'Socket Mode is not connected yet'),
      );
    },
    isConnected: () => (socketReceiver ? socketConnected : true),
    stop: async () => {
      // Bolt's stop() does not wait for the WebSocket to close; the client's disconnect() does.
      if (socketReceiver) await socketReceiver.client.disconnect();
    },
  };
}

/** Bolt's receiver for HTTP mode: never a 5xx, and a slash command's author always hears back. */
function httpReceiver(
  config: Config,
  logger: Logger,
  slackLogger: ReturnType<typeof toSlackLogger>,
): HTTPReceiver {
  return new HTTPReceiver({
    signingSecret: config.slack.signingSecret ?? '',
    logger: slackLogger,
    bodyLimit: '1mb',
    unhandledRequestTimeoutMillis: 2500,
    // Never a 5xx: Slack would retry or show the user "dispatch_failed". The listener has logged the error.
    processEventErrorHandler: async ({ error, request, response }) => {
      logger.error({ err: error.message }, 'a Slack listener failed');
      if (response.headersSent) return false;
      // A slash command's user is waiting for this very response; other requests just need a 2xx.
      const raw: unknown = (request as { rawBody?: unknown }).rawBody;
      const isCommand = Buffer.isBuffer(raw) && /(^|&)command=/.test(raw.toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(isCommand ? { response_type: 'ephemeral', text: SOMETHING_WENT_WRONG } : {}),
      );
      return true;
    },
    dispatchErrorHandler: async ({ error, response }) => {
      logger.warn({ err: error.message }, 'Slack request could not be dispatched');
      if (!response.headersSent) {
        response.writeHead(400);
        response.end();
      }
    },
  });
}
