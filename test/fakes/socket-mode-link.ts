import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The server side of Slack's Socket Mode (https://api.slack.com/apis/connections/socket), for the
 * SlackApiFake: `apps.connections.open` hands out single-use `ws://…/link/?ticket=…` URLs, and this
 * link accepts the WebSocket the REAL @slack/socket-mode client opens there, says hello, delivers
 * envelopes and records the client's acks.
 *
 * The WebSocket framing (RFC 6455) is written here rather than taken from the `ws` package: `ws` is
 * only a devDependency of @slack/socket-mode (its client uses undici's WebSocket), so it is not
 * installed, and a loopback server needs only the unfragmented, uncompressed subset below.
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

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
/** How long close() lets a client finish a close handshake it already started before cutting it off. */
const CLOSE_GRACE_MS = 1000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One unmasked, final server frame. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 0x10000) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(126, 1);
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(127, 1);
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
  size: number;
}

/** Parses one frame from the start of `buf`, or returns undefined while it is incomplete. */
function decodeFrame(buf: Buffer): Frame | undefined {
  if (buf.length < 2) return undefined;
  const b0 = buf.readUInt8(0);
  const b1 = buf.readUInt8(1);
  let len = b1 & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  const maskLen = masked ? 4 : 0;
  const size = offset + maskLen + len;
  if (buf.length < size) return undefined;
  const payload = Buffer.from(buf.subarray(offset + maskLen, size));
  if (masked) {
    const key = buf.subarray(offset, offset + 4);
    for (let i = 0; i < payload.length; i++) {
      payload.writeUInt8(payload.readUInt8(i) ^ key.readUInt8(i % 4), i);
    }
  }
  return { fin: (b0 & 0x80) !== 0, rsv: b0 & 0x70, opcode: b0 & 0x0f, masked, payload, size };
}

/** One accepted WebSocket: frames in and out, ping/pong and the close handshake. */
class WsConnection {
  readonly closed: Promise<void>;
  isClosed = false;
  pingsReceived = 0;
  pongsReceived = 0;
  private buffered = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closeSent = false;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Duplex,
    private readonly onText: (text: string) => void,
  ) {
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        clearTimeout(this.closeTimer);
        resolve();
      });
    });
    socket.on('data', (chunk: Buffer) => this.feed(chunk));
    // A reset by the client is how a link ends too; 'close' follows and does the bookkeeping.
    socket.on('error', () => undefined);
  }

  feed(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const frame = decodeFrame(this.buffered);
      if (!frame) return;
      this.buffered = this.buffered.subarray(frame.size);
      this.handle(frame);
      if (this.isClosed) return;
    }
  }

  sendText(text: string): void {
    this.write(OPCODE.text, Buffer.from(text, 'utf8'));
  }

  ping(): void {
    this.write(OPCODE.ping, Buffer.from(`ping ${Date.now()}`));
  }

  /** Starts the close handshake; the socket ends when the client echoes, or after a grace period. */
  close(code = 1000): void {
    if (this.closeSent || this.isClosed) return;
    this.sendClose(code);
    this.closeTimer = setTimeout(() => this.destroy(), CLOSE_GRACE_MS);
  }

  destroy(): void {
    clearTimeout(this.closeTimer);
    this.socket.destroy();
  }

  private handle(frame: Frame): void {
    // RFC 6455 §5.1: a client frame must be masked. No extension was negotiated, so no RSV bit may be set.
    if (!frame.masked || frame.rsv !== 0) {
      this.fail(1002);
      return;
    }
    switch (frame.opcode) {
      case OPCODE.text:
      case OPCODE.binary:
        this.fragments = [frame.payload];
        if (frame.fin) this.deliver();
        return;
      case OPCODE.continuation:
        this.fragments.push(frame.payload);
        if (frame.fin) this.deliver();
        return;
      case OPCODE.ping:
        // The client counts unanswered pings and drops the link after a few (clientPingTimeout).
        this.pingsReceived++;
        this.write(OPCODE.pong, frame.payload);
        return;
      case OPCODE.pong:
        this.pongsReceived++;
        return;
      case OPCODE.close:
        if (!this.closeSent) this.sendClose(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1000);
        this.socket.end();
        return;
      default:
        this.fail(1002);
    }
  }

  private deliver(): void {
    const text = Buffer.concat(this.fragments).toString('utf8');
    this.fragments = [];
    this.onText(text);
  }

  private sendClose(code: number): void {
    this.closeSent = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.write(OPCODE.close, payload);
  }

  private fail(code: number): void {
    this.sendClose(code);
    this.socket.end();
  }

  private write(opcode: number, payload: Buffer): void {
    if (this.isClosed || this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(encodeFrame(opcode, payload));
  }
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
  private readonly connections = new Set<WsConnection>();
  private readonly ackWaiters = new Map<string, AckWaiter[]>();
  private readonly connectWaiters = new Set<() => void>();
  private readonly pingTimers = new Map<WsConnection, NodeJS.Timeout>();

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
    const key = req.headers['sec-websocket-key'];
    if (
      url.pathname !== '/link/' ||
      typeof key !== 'string' ||
      req.headers.upgrade?.toLowerCase() !== 'websocket'
    ) {
      refuse(socket, 400, 'Bad Request');
      return;
    }
    // Tickets are single use: a client must call apps.connections.open again to reconnect.
    const ticket = url.searchParams.get('ticket');
    if (!ticket || !this.tickets.delete(ticket)) {
      refuse(socket, 401, 'Unauthorized');
      return;
    }

    const accept = createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Accept: ${accept}`,
        '',
        '',
      ].join('\r\n'),
    );
    const connection = new WsConnection(socket, (text) => this.onClientMessage(text));
    if (head.length > 0) connection.feed(head);
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
    const pings = setInterval(() => connection.ping(), this.opts.serverPingIntervalMs ?? 10_000);
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
        connection.destroy();
        await connection.closed;
      }),
    );
  }

  private openConnections(): WsConnection[] {
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
