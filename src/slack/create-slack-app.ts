import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import type { IngressDeps } from './ingress-deps';
import { registerListeners } from './listeners';
import { toSlackLogger } from './slack-logger';
import { webClientOptions } from './web-client';

export interface SlackIngress {
  app: App;
  /** Bolt's HTTP handler for POST /slack/events, in HTTP mode; the process's own server routes to it. */
  requestListener: RequestListener | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the Bolt app in Socket Mode or HTTP mode, every Slack client pointed at SLACK_API_URL. */
export function createSlackIngress(config: Config, logger: Logger, deps: IngressDeps): SlackIngress {
  const slackLogger = toSlackLogger(logger.child({ component: 'bolt' }));
  const clientOptions = webClientOptions({
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    logger,
  });
  const common = { token: config.slack.botToken, logger: slackLogger, clientOptions };

  let app: App;
  let requestListener: RequestListener | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  if (config.slack.mode === 'http') {
    const receiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      logger: slackLogger,
      bodyLimit: '1mb',
      unhandledRequestTimeoutMillis: 2500,
    });
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
      if (socketReceiver) await socketReceiver.start();
    },
    stop: async () => {
      // Bolt's stop() does not wait for the WebSocket to close; the client's disconnect() does.
      if (socketReceiver) await socketReceiver.client.disconnect();
    },
  };
}
