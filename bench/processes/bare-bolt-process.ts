import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { failAndExit, send, serveParent } from './ipc';

/**
 * The ack floor: a Bolt app with the same HTTPReceiver settings as Architect's ingress that does
 * nothing but acknowledge, so the difference to it is what Architect itself adds.
 */
async function main(): Promise<void> {
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    bodyLimit: '1mb',
    unhandledRequestTimeoutMillis: 2500,
  });
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN ?? '',
    receiver,
    // auth.test (Bolt's single-workspace authorization) goes to the fake, as it does for Architect.
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
  });
  app.command('/architect', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'ok' });
  });
  app.event('app_mention', async () => undefined);

  const server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, resolve));
  serveParent(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  await send({ type: 'ready', port: (server.address() as AddressInfo).port });
}

main().catch(failAndExit);
