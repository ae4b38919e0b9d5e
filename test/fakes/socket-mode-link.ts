import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

/**
 * The server side of Slack's Socket Mode (https://api.slack.com/apis/connections/socket), for the
 * SlackApiFake: `apps.connections.open` hands out single-use `ws://…/link/?ticket=…` URLs, and this
 * link accepts the WebSocket the REAL @slack/socket-mode client opens there, says hello, delivers
 * envelopes and records the client's acks. The WebSocket itself (handshake, framing, ping/pong, the
 * close handshake) is the `ws` package's server; the client side is undici's WebSocket, as in the app.
 */

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface EnvelopeOptions {
  /** Reuse an id to redeliver an envelope exactly, as Slack sometimes does with no retry mark. */
  envelopeId?: string;
  /** Slack sets it for slash commands (and a few interactive types), whose ack may carry a reply. */
  acceptsResponsePayload?: boolean;
  /** events_api only; Slack sends 0 and '' on a first delivery. */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack; Slack itself gives up after 3 s and retries. */
  timeoutMs?: number;
}

/** What the client sends back on the socket to acknowledge an envelope. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketModeLinkOptions {
  /** `ws://127.0.0.1:PORT`, the fake's own HTTP server, which routes upgrades here. */
  wsOrigin: string;
  appToken: string;
  botToken: string;
  appId: string;
  /** How often the server pings, as Slack does; the client treats silence as a dead link. */
  serverPingIntervalMs?: number;
}

type SlackBody = Record<string, unknown>;

/** How long close() lets a client finish a close handshake it already started before cutting it off. */
const CLOSE_GRACE_MS = 1000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One accepted link: the `ws` socket, and the keep-alive traffic seen on it. */
class LinkConnection {
  readonly closed: Promise<void>;
  isClosed = false;
  pingsReceived = 0;
  pongsReceived = 0;

  constructor(
    readonly socket: WebSocket,
    onText: (text: string) => void,
  ) {
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      });
    });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) onText(rawDataText(data));
    });
    // `ws` answers a ping with a pong itself; the client drops the link after a few unanswered ones.
    socket.on('ping', () => this.pingsReceived++);
    socket.on('pong', () => this.pongsReceived++);
    // A reset by the client is how a link ends too; 'close' follows and does the bookkeeping.
    socket.on('error', () => undefined);
  }

  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }
}

/** A text message's bytes, however `ws` handed them over. */
function rawDataText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data))).toString('utf8');
}

interface AckWaiter {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class SocketModeLink {
  /** Every envelope delivered, in order (redeliveries included). */
  readonly envelopes: Envelope[] = [];
  /** Every ack the client sent, in order, with when it arrived. */
  readonly acks: (SocketAck & { at: number })[] = [];
  /** Messages from the client that were not acks (the client sends none; kept to catch surprises). */
  readonly otherMessages: unknown[] = [];
  /** How many links clients opened, reconnections included. */
  connectionCount = 0;

  private readonly tickets = new Set<string>();
  private readonly connections = new Set<LinkConnection>();
  private readonly ackWaiters = new Map<string, AckWaiter[]>();
  private readonly connectWaiters = new Set<() => void>();
  private readonly pingTimers = new Map<LinkConnection, NodeJS.Timeout>();
  /** Accepts upgrades handed over by the fake's own HTTP server; it listens on nothing itself. */
  private readonly server = new WebSocketServer({ noServer: true });

  constructor(private readonly opts: SocketModeLinkOptions) {}

  /** `apps.connections.open`: only the app-level token may call it, as on Slack. */
  open(token: string | undefined): SlackBody {
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.opts.appToken) {
      // Slack tells a bot or user token apart from an unknown one.
      const error =
        token === this.opts.botToken || token.startsWith('xox') ? 'not_allowed_token_type' : 'invalid_auth';
      return { ok: false, error };
    }
    const ticket = randomUUID();
    this.tickets.add(ticket);
    const appHash = createHash('sha1').update(this.opts.appId).digest('hex').slice(0, 16);
    return { ok: true, url: `${this.opts.wsOrigin}/link/?ticket=${ticket}&app_id=${appHash}` };
  }

  /** The fake's HTTP server routes every `upgrade` here. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/link/') {
      refuse(socket, 400, 'Bad Request');
      return;
    }
    // Tickets are single use: a client must call apps.connections.open again to reconnect.
    const ticket = url.searchParams.get('ticket');
    if (!ticket || !this.tickets.delete(ticket)) {
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    // `ws` checks the rest of the handshake (method, headers, key) and answers 400 itself when it is off.
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const connection = new LinkConnection(ws, (text) => this.onClientMessage(text));
    this.connections.add(connection);
    this.connectionCount++;
    void connection.closed.then(() => {
      this.connections.delete(connection);
      clearInterval(this.pingTimers.get(connection));
      this.pingTimers.delete(connection);
    });

    connection.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    const pings = setInterval(() => ws.ping(), this.opts.serverPingIntervalMs ?? 10_000);
    // Never the reason a test process stays up; close() clears it anyway.
    pings.unref();
    this.pingTimers.set(connection, pings);
    for (const notify of this.connectWaiters) notify();
    this.connectWaiters.clear();
  }

  /** Whether a client holds an open link now. */
  isConnected(): boolean {
    return this.openConnections().length > 0;
  }

  /** Resolves once a client holds an open link (at once if one does already). */
  connected(timeoutMs = 10_000): Promise<void> {
    if (this.openConnections().length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const notify = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectWaiters.delete(notify);
        reject(new Error(`no Socket Mode client connected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connectWaiters.add(notify);
    });
  }

  /**
   * Delivers an envelope on the newest open link and resolves with the client's ack for it (rejects if
   * none comes in time). Sending the same envelopeId twice waits for one ack per delivery.
   */
  send(type: EnvelopeType, payload: unknown, opts: EnvelopeOptions = {}): Promise<SocketAck> {
    const connection = this.openConnections().at(-1);
    if (!connection) return Promise.reject(new Error('no Socket Mode client is connected'));
    const envelope: Envelope = {
      envelope_id: opts.envelopeId ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type === 'slash_commands',
    };
    if (type === 'events_api' || opts.retryAttempt !== undefined) {
      envelope.retry_attempt = opts.retryAttempt ?? 0;
      envelope.retry_reason = opts.retryReason ?? '';
    }
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const waiters = this.ackWaiters.get(envelope.envelope_id) ?? [];
      const waiter: AckWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no ack for ${type} envelope ${envelope.envelope_id} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      waiters.push(waiter);
      this.ackWaiters.set(envelope.envelope_id, waiters);
    });
    this.envelopes.push(envelope);
    connection.sendText(JSON.stringify(envelope));
    return acked;
  }

  /** Asks every client to reconnect, as Slack does before recycling a link ('refresh_requested', 'warning'). */
  requestDisconnect(reason = 'refresh_requested'): void {
    for (const connection of this.openConnections()) {
      connection.sendText(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }),
      );
    }
  }

  /** Pings and pongs seen on the open links, summed: proof the keep-alive runs. */
  pingStats(): { pingsReceived: number; pongsReceived: number } {
    let pingsReceived = 0;
    let pongsReceived = 0;
    for (const c of this.connections) {
      pingsReceived += c.pingsReceived;
      pongsReceived += c.pongsReceived;
    }
    return { pingsReceived, pongsReceived };
  }

  /**
   * Ends every link. A client that is shutting down has normally closed its link already; one still
   * mid-handshake gets a moment to finish, then the socket is cut so the fake's server can close.
   */
  async close(): Promise<void> {
    for (const timer of this.pingTimers.values()) clearInterval(timer);
    this.pingTimers.clear();
    for (const [id, waiters] of this.ackWaiters) {
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`the Slack fake closed before envelope ${id} was acked`));
      }
    }
    this.ackWaiters.clear();
    const open = [...this.connections];
    await Promise.all(
      open.map(async (connection) => {
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([
          connection.closed,
          new Promise<void>((resolve) => {
            grace = setTimeout(resolve, CLOSE_GRACE_MS);
          }),
        ]);
        clearTimeout(grace);
        connection.socket.terminate();
        await connection.closed;
      }),
    );
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private openConnections(): LinkConnection[] {
    return [...this.connections].filter((c) => !c.isClosed);
  }

  private onClientMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.otherMessages.push(text);
      return;
    }
    if (!isRecord(message) || typeof message.envelope_id !== 'string') {
      this.otherMessages.push(message);
      return;
    }
    const ack: SocketAck = { envelope_id: message.envelope_id };
    if ('payload' in message) ack.payload = message.payload;
    this.acks.push({ ...ack, at: Date.now() });
    const waiter = this.ackWaiters.get(ack.envelope_id)?.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(ack);
    }
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
