import { LogLevel, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { SlackApiFake } from './slack-api-fake';

/**
 * The fake's Socket Mode side, driven by the REAL @slack/socket-mode client (reached through Bolt's
 * SocketModeReceiver, the way the app gets it) over a real WebSocket.
 */

type SocketClient = SocketModeReceiver['client'];

/** The error the real WebClient throws for ok:false, narrowed without `any`. */
async function platformErrorCode(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return (error as { data?: { error?: unknown } }).data?.error;
  }
  throw new Error('expected the call to fail');
}

describe('SlackApiFake Socket Mode', () => {
  let fake: SlackApiFake;
  let client: SocketClient | undefined;

  beforeEach(async () => {
    fake = await SlackApiFake.start();
  });
  afterEach(async () => {
    // The client first: a link the server cut would make it reconnect.
    await client?.disconnect();
    client = undefined;
    await fake.close();
  });

  /** A connected client; `clientPingTimeout` sets how often it pings (a third of it). */
  async function connect(opts: { clientPingTimeout?: number } = {}): Promise<SocketClient> {
    const receiver = new SocketModeReceiver({
      appToken: fake.appToken,
      logLevel: LogLevel.ERROR,
      // No reconnection: a test that breaks the link must fail, not heal silently.
      autoReconnectEnabled: false,
      ...(opts.clientPingTimeout ? { clientPingTimeout: opts.clientPingTimeout } : {}),
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
    });
    client = receiver.client;
    await client.start();
    return client;
  }

  it('apps.connections.open takes only the app-level token, like Slack', async () => {
    const web = (token: string) =>
      new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect(await platformErrorCode(web(fake.botToken).apps.connections.open())).toBe(
      'not_allowed_token_type',
    );
    expect(await platformErrorCode(web('xapp-revoked').apps.connections.open())).toBe('invalid_auth');
    // And the app-level token is no bot token.
    expect(await platformErrorCode(web(fake.appToken).auth.test())).toBe('not_allowed_token_type');
    const opened = await web(fake.appToken).apps.connections.open();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=\w+$/);
  });

  it('says hello, delivers envelopes and records acks with their payloads', async () => {
    const socket = await connect();
    expect(fake.socketMode.connectionCount).toBe(1);
    await fake.socketConnected();

    socket.on(
      'slash_commands',
      async ({ ack, body }: { ack: (r?: object) => Promise<void>; body: unknown }) => {
        await ack({ response_type: 'ephemeral', text: `echo ${JSON.stringify(body)}` });
      },
    );
    const seenRetries: unknown[] = [];
    socket.on('app_mention', async ({ ack, retry_num }: { ack: () => Promise<void>; retry_num: unknown }) => {
      seenRetries.push(retry_num);
      await ack();
    });

    const commandAck = await fake.sendEnvelope('slash_commands', { command: '/architect', text: 'hi' });
    expect(commandAck.payload).toEqual({
      response_type: 'ephemeral',
      text: 'echo {"command":"/architect","text":"hi"}',
    });
    expect(fake.socketMode.envelopes[0]).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      envelope_id: commandAck.envelope_id,
    });

    const event = { type: 'event_callback', event: { type: 'app_mention', text: 'hi' } };
    const first = await fake.sendEnvelope('events_api', event);
    // The client always sends a payload, an empty one when ack() got nothing.
    expect(first.payload).toEqual({});
    const again = await fake.sendEnvelope('events_api', event, { envelopeId: first.envelope_id });
    const retried = await fake.sendEnvelope('events_api', event, {
      envelopeId: first.envelope_id,
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect([again.envelope_id, retried.envelope_id]).toEqual([first.envelope_id, first.envelope_id]);
    expect(seenRetries).toEqual([0, 0, 1]);
    expect(fake.socketMode.acks.map((a) => a.envelope_id)).toEqual([
      commandAck.envelope_id,
      first.envelope_id,
      first.envelope_id,
      first.envelope_id,
    ]);
  });

  it('an envelope nobody acks rejects after its timeout', async () => {
    await connect();
    await expect(
      fake.sendEnvelope('interactive', { type: 'block_actions' }, { timeoutMs: 200 }),
    ).rejects.toThrow(/no ack for interactive envelope/);
  });

  it('answers the client pings with pongs, so the link stays up', async () => {
    // A client that sends more than 3 pings without a pong drops the link; here it pings every 100 ms.
    await connect({ clientPingTimeout: 300 });
    await fake.waitFor(() => fake.socketMode.pingStats().pingsReceived >= 6);
    expect(fake.socketMode.connectionCount).toBe(1);
    await fake.socketConnected(100);
  });

  it('a client that disconnects closes its link cleanly', async () => {
    const socket = await connect();
    await socket.disconnect();
    client = undefined;
    await fake.waitFor(() => !fake.socketMode.isConnected());
    await expect(fake.sendEnvelope('events_api', {})).rejects.toThrow(/no Socket Mode client is connected/);
  });
});
