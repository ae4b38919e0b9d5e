import type { RequestListener } from 'node:http';
import {
  App,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type InstallationStore,
  SocketModeReceiver,
} from '@slack/bolt';
import type { Config, OAuthConfig } from '../config/config';
import { BOT_SCOPES } from '../installations/bot-scopes';
import { refuseUnlistedInstalls } from '../installations/install-gate';
import { errorMessage } from '../lib/error-message';
import { withTimeout } from '../lib/with-timeout';
import type { Logger } from '../logger';
import type { BotIdentity } from '../slack/bot-identity';
import { scheduledFetch } from '../slack/scheduled-fetch';
import { toSlackLogger } from '../slack/slack-logger';
import { webClientOptions } from '../slack/web-client';
import type { IngressDeps } from './ingress-deps';
import { registerListeners } from './listeners';
import { rememberRequestOrganisation } from './request-workspace';

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

/**
 * Builds the Bolt app in Socket Mode or HTTP mode, every Slack client pointed at SLACK_API_URL. With
 * `installationStore` (OAuth mode) Bolt serves /slack/install and /slack/oauth_redirect and gives each
 * request the token of the installation serving its workspace; otherwise SLACK_BOT_TOKEN serves all.
 */
export function createSlackIngress(
  config: Config,
  logger: Logger,
  bot: BotIdentity | undefined,
  deps: IngressDeps,
  installationStore?: InstallationStore,
): SlackIngress {
  const slackLogger = toSlackLogger(logger.child({ component: 'bolt' }));
  const counted = deps.metrics?.slackFetch();
  const fetch = deps.slackScheduler
    ? scheduledFetch(deps.slackScheduler, config.slack.timeoutMs, counted)
    : counted;
  const clientOptions = webClientOptions({
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    logger,
    ...(fetch ? { fetch } : {}),
  });
  const { workspaces } = config.slack;
  // Knowing the bot's ids, Bolt skips its own (unawaited) auth.test calls.
  const common =
    workspaces.mode === 'single' && bot
      ? {
          token: workspaces.botToken,
          botId: bot.botId,
          botUserId: bot.userId,
          logger: slackLogger,
          clientOptions,
        }
      : { logger: slackLogger, clientOptions };

  let app: App;
  let requestListener: RequestListener | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  if (config.slack.mode === 'http') {
    const oauth =
      workspaces.mode === 'oauth' && installationStore
        ? oauthReceiverOptions(workspaces, installationStore, clientOptions, {
            allowedTeams: config.access.teams,
            logger,
          })
        : {};
    const receiver = httpReceiver(config, logger, slackLogger, oauth);
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
  rememberRequestOrganisation(app);
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error({ code: error.code, err: error.message }, 'unhandled error in a Slack listener');
  });

  const socket = socketReceiver ? socketLifecycle(socketReceiver, logger) : undefined;
  return {
    app,
    requestListener,
    start: async () => socket?.start(),
    isConnected: () => socket?.isConnected() ?? true,
    stop: async () => socket?.stop(),
  };
}

/** Socket Mode's connection: started without blocking start-up for long, and watched for /readyz. */
function socketLifecycle(receiver: SocketModeReceiver, logger: Logger) {
  let connected = false;
  return {
    start: async () => {
      const client = receiver.client;
      client.on('connected', () => {
        connected = true;
      });
      client.on('disconnected', () => {
        connected = false;
      });
      client.on('reconnecting', () => {
        connected = false;
      });
      // The client retries forever (a wrong app token included); start-up goes on and /readyz tells.
      const started = receiver.start().catch((error: unknown) => {
        logger.error({ err: errorMessage(error) }, 'Socket Mode could not start');
      });
      await withTimeout(started, 10_000, 'Socket Mode did not connect within 10 s').catch((error: unknown) =>
        logger.warn({ err: errorMessage(error) }, 'Socket Mode is not connected yet'),
      );
    },
    isConnected: () => connected,
    // Bolt's stop() does not wait for the WebSocket to close; the client's disconnect() does.
    stop: () => receiver.client.disconnect(),
  };
}

/** Bolt's receiver for HTTP mode: never a 5xx, and a slash command's author always hears back. */
function httpReceiver(
  config: Config,
  logger: Logger,
  slackLogger: ReturnType<typeof toSlackLogger>,
  oauth: Partial<HTTPReceiverOptions>,
): HTTPReceiver {
  return new HTTPReceiver({
    ...oauth,
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

/**
 * Bolt's install flow: /slack/install sends the installer straight to Slack's consent page, and
 * /slack/oauth_redirect stores the installation. After an org-wide install Bolt's success page sends the
 * admin to the organisation's page where the app is added to workspaces.
 */
function oauthReceiverOptions(
  oauth: OAuthConfig,
  installationStore: InstallationStore,
  clientOptions: ReturnType<typeof webClientOptions>,
  gate: { allowedTeams: readonly string[]; logger: Logger },
): Partial<HTTPReceiverOptions> {
  const { logger: _logger, logLevel: _level, ...installerClientOptions } = clientOptions;
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore,
    scopes: [...BOT_SCOPES],
    installerOptions: {
      directInstall: true,
      clientOptions: installerClientOptions,
      // ALLOWED_TEAMS holds at the door too: an unlisted workspace is not installed at all.
      callbackOptions: {
        afterInstallation: refuseUnlistedInstalls(gate.allowedTeams, clientOptions, gate.logger),
      },
    },
  };
}
