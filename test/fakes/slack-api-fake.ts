import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitUntil } from '../helpers/waits';
import { blockKitViolations, blocksTextLength, SLACK_LIMITS, viewViolations } from './block-kit-rules';
import { Delays } from './delays';
import { readBody, readBodyBytes } from './http-body';
import { type FakeInstall, SlackOAuthFake } from './slack-oauth-fake';
import { type FakeTier, SLACK_TIERS, SlackRateTiers } from './slack-rate-tiers';
import { type EnvelopeOptions, type EnvelopeType, type SocketAck, SocketModeLink } from './socket-mode-link';

/**
 * A loopback Slack Web API that speaks Slack's wire format, so integration tests drive the REAL
 * WebClient (and Bolt's) over real HTTP instead of mocking modules. It keeps a small in-memory
 * workspace, validates posts the way Slack does, and can inject the faults Slack really produces.
 */

type Params = Record<string, unknown>;
type SlackBody = Record<string, unknown>;

/** A message as the fake stores it; API responses add the thread fields Slack computes. */
export interface FakeMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  thread_ts?: string;
  subtype?: string;
  files?: unknown[];
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  edited?: { user: string; ts: string };
  reactions?: { name: string; users: string[]; count: number }[];
}

export interface NewMessage {
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  ts?: string;
  files?: unknown[];
  subtype?: string;
  blocks?: unknown[];
}

export interface FakeUser {
  name: string;
  real_name?: string;
  display_name?: string;
  is_bot?: boolean;
  /** Workspace admin or owner, as users.info says. */
  is_admin?: boolean;
  is_owner?: boolean;
  /** A multi-channel (restricted) or single-channel (ultra restricted) guest. */
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
}

/** A channel the test made private: only its members may see it (conversations.info, conversations.members). */
interface FakePrivateChannel {
  members: Set<string>;
}

export interface SlackCall {
  method: string;
  /** Parsed params: form strings as sent, JSON-valued fields (blocks, view, ...) parsed; token removed. */
  params: Params;
  at: number;
  /**
   * When the call arrived and when it was answered, as steps of one counter the fake advances on
   * each: a call whose `arrived` is above another's `answered` was made after that one's answer.
   */
  arrived: number;
  answered?: number;
  /** The workspace (or organisation) whose installation's token made the call; absent for the default token. */
  installation?: string;
  /** HTTP status and JSON body the fake answered with, set once it has answered. */
  status?: number;
  response?: SlackBody;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  message_ts: string;
  at: number;
}

export interface SlackFault {
  error: string;
  /** HTTP status; 429 answers with Retry-After, 5xx with that status; absent means HTTP 200 ok:false. */
  status?: number;
  retryAfterSec?: number;
  /** How many consecutive calls fail; default 1. */
  times?: number;
  /** How many calls succeed first (the placeholder before the reply, say); default 0. */
  after?: number;
}

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
}

/** A task card as the latest task_update chunk with its id left it. */
export interface FakeTask {
  id: string;
  title: string;
  status: 'pending' | 'in_progress' | 'complete' | 'error';
  details?: string;
  output?: string;
  sources?: unknown[];
}

/** What a streamed message holds besides its text: its plan title and its task cards, in order. */
export interface FakeStream {
  channel: string;
  stopped: boolean;
  lastAt: number;
  /** Appends the stream has taken (chat.appendStream calls that succeeded). */
  appends: number;
  taskDisplayMode: 'timeline' | 'plan';
  planTitle?: string;
  tasks: FakeTask[];
}

export interface SlackApiFakeOptions {
  botToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** The app-level token (`xapp-…`) Socket Mode's apps.connections.open requires. */
  appToken?: string;
  /** The app id Socket Mode's hello names. */
  appId?: string;
}

/** Fields Slack clients send JSON-encoded inside a form body. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'prompts'];
const BASE_TS_MICROS = 1_700_000_000_000_000;
const TS_STEP_MICROS = 100;
const APP_ID = 'AARCHITECT';
const WORKSPACE_URL = 'https://fake-workspace.slack.com/';
/** Slack ends a stream that received nothing for about five minutes. */
const STREAM_IDLE_LIMIT_MS = 5 * 60 * 1000;
/** Slack's limit on one markdown_text of the streaming methods. */
const STREAM_TEXT_LIMIT = 12_000;

const ok = (body: SlackBody = {}): SlackBody => ({ ok: true, ...body });
const fail = (error: string, extra: SlackBody = {}): SlackBody => ({ ok: false, error, ...extra });

function str(p: Params, key: string): string | undefined {
  const v = p[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function int(p: Params, key: string): number | undefined {
  const s = str(p, key);
  if (s === undefined || s === '') return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** Slack accepts true, "true" and "1" for booleans. */
function flag(p: Params, key: string): boolean {
  const v = p[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack timestamps are "seconds.micros"; comparing them as numbers of microseconds orders them. */
export function tsToMicros(ts: string): number {
  const [sec = '0', frac = ''] = ts.split('.');
  return Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Opaque like Slack's cursors (which are base64 of "next_ts:..."), so clients cannot rely on their shape. */
const encodeCursor = (ts: string): string => Buffer.from(`next_ts:${ts}`).toString('base64');
function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : undefined;
}

/** Parses a form or JSON body the way Slack does, decoding the JSON-valued fields of forms. */
function parseParams(raw: string, contentType: string, query: URLSearchParams): Params | undefined {
  const params: Params = Object.fromEntries(query.entries());
  if (contentType.includes('application/json')) {
    if (raw.trim() === '') return params;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isRecord(parsed)) return undefined;
      // Slack ignores a token in a JSON body: JSON callers must use the Authorization header.
      const { token: _ignored, ...rest } = parsed;
      Object.assign(params, rest);
    } catch {
      return undefined;
    }
  } else {
    for (const [k, v] of new URLSearchParams(raw).entries()) params[k] = v;
  }
  for (const key of JSON_FIELDS) {
    const v = params[key];
    if (typeof v !== 'string') continue;
    try {
      params[key] = JSON.parse(v);
    } catch {
      // Left as the raw string so the method can answer invalid_blocks_format / invalid_arguments.
    }
  }
  return params;
}

/** Slack-style content checks shared by chat.postMessage, chat.update and chat.postEphemeral. */
function contentProblem(p: Params): SlackBody | undefined {
  const { blocks, attachments } = p;
  if (typeof blocks === 'string') return fail('invalid_blocks_format');
  const text = str(p, 'text') ?? '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (text === '' && !hasBlocks && !hasAttachments) return fail('no_text');
  if (text.length > SLACK_LIMITS.messageText) return fail('msg_too_long');
  if (blocks !== undefined) {
    const errors = blockKitViolations(blocks);
    if (errors.length > 0) return fail('invalid_blocks', { errors });
    // Each block within its own limits can still add up past what one message may hold; like Slack, no detail.
    if (blocksTextLength(blocks) > SLACK_LIMITS.blocksTextTotal) return fail('msg_blocks_too_long');
  }
  return undefined;
}

/** A queued call that goes through: `after` in a fault. */
const PASS: SlackFault = { error: '' };

export class SlackApiFake {
  /** What WebClient's `slackApiUrl` and SLACK_API_URL take. */
  readonly apiUrl: string;
  readonly origin: string;
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly appToken: string;
  /** Slack's Socket Mode side: the WebSocket links apps.connections.open hands out. */
  readonly socketMode: SocketModeLink;
  /** OAuth: installs, oauth.v2.access, per-workspace tokens and channels. */
  readonly oauth = new SlackOAuthFake();
  /** The installation whose token made the call being answered (handlers run synchronously). */
  private caller: FakeInstall | undefined;

  readonly calls: SlackCall[] = [];
  /** The counter behind SlackCall's `arrived` and `answered`. */
  private steps = 0;
  readonly ephemerals: FakeEphemeral[] = [];
  /** Messages POSTed to a slash command's or interaction's response_url (`responseUrl(id)`). */
  readonly responses: { id: string; body: Record<string, unknown>; at: number }[] = [];
  readonly views = new Map<string, Record<string, unknown>>();
  readonly assistantStatuses: { channel_id: string; thread_ts: string; status: string; at: number }[] = [];
  /** assistant.threads.setSuggestedPrompts calls that Slack accepted. */
  readonly suggestedPrompts: {
    channel_id: string;
    thread_ts?: string;
    title?: string;
    prompts: { title: string; message: string }[];
  }[] = [];
  /** assistant.threads.setTitle calls that Slack accepted. */
  readonly threadTitles: { channel_id: string; thread_ts: string; title: string }[] = [];
  /** The ids of the files downloaded from the file host, one entry per download. */
  readonly fileDownloads: string[] = [];
  /** Files uploaded with files.getUploadURLExternal → upload → files.completeUploadExternal, shared or not. */
  readonly uploadedFiles: (FakeFile & { content: Buffer; channel?: string; thread_ts?: string })[] = [];

  private readonly channels = new Map<string, FakeMessage[]>();
  private readonly users = new Map<string, FakeUser>();
  private readonly files = new Map<string, FakeFile & { content: Buffer }>();
  /** Uploads started with files.getUploadURLExternal: what was announced, and the bytes once POSTed. */
  private readonly uploads = new Map<string, { filename: string; length: number; content?: Buffer }>();
  private uploadCounter = 0;
  private readonly privateChannels = new Map<string, FakePrivateChannel>();
  private readonly missingChannels = new Set<string>();
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly latencies = new Map<string, number>();
  /** Set: Slack's per-method rate limits are enforced (429 with Retry-After past them). */
  private rateTiers: SlackRateTiers | undefined;
  private readonly delays = new Delays();
  /** Messages started with chat.startStream, by ts: still streaming until stopped or idle too long. */
  private readonly streams = new Map<string, FakeStream>();
  private streamIdleLimitMs = STREAM_IDLE_LIMIT_MS;
  /** Set: task and plan chunks are refused with this error, as for an app without the agent feature. */
  private taskChunksRefusal: string | undefined;
  /** Set: a stream is ended by Slack once it has taken this many appends. */
  private streamAppendLimit: number | undefined;
  private lastTsMicros = BASE_TS_MICROS;
  private viewCounter = 0;
  private readonly handlers: Record<string, (p: Params) => SlackBody>;

  private constructor(
    private readonly server: Server,
    port: number,
    opts: SlackApiFakeOptions,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.origin}/api/`;
    this.botToken = opts.botToken ?? 'xoxb-test-token';
    this.botUserId = opts.botUserId ?? 'UBOT';
    this.botId = opts.botId ?? 'BBOT';
    this.teamId = opts.teamId ?? 'T0001';
    this.appToken = opts.appToken ?? 'xapp-test-token';
    this.socketMode = new SocketModeLink({
      wsOrigin: `ws://127.0.0.1:${port}`,
      appToken: this.appToken,
      botToken: this.botToken,
      appId: opts.appId ?? 'A0ARCHITECT',
    });
    this.handlers = this.buildHandlers();
    this.addBotUser();
  }

  static async start(opts: SlackApiFakeOptions = {}): Promise<SlackApiFake> {
    let fake: SlackApiFake | undefined;
    const server = createServer((req, res) => {
      // The server only takes requests after listen() resolved, so `fake` is set by then.
      fake?.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    // Socket Mode clients open their WebSocket on the URL apps.connections.open returned, on this server.
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (fake) fake.socketMode.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new SlackApiFake(server, (server.address() as AddressInfo).port, opts);
    return fake;
  }

  async close(): Promise<void> {
    this.delays.cancelAll();
    // Upgraded sockets are no longer the HTTP server's to close, and server.close() waits for them.
    await this.socketMode.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- Socket Mode ----

  /** Resolves once the app holds an open Socket Mode link. */
  socketConnected(timeoutMs?: number): Promise<void> {
    return this.socketMode.connected(timeoutMs);
  }

  /** Delivers a Socket Mode envelope and resolves with the app's ack (`{ envelope_id, payload? }`). */
  sendEnvelope(type: EnvelopeType, payload: unknown, opts?: EnvelopeOptions): Promise<SocketAck> {
    return this.socketMode.send(type, payload, opts);
  }

  // ---- workspace set-up ----

  /** Stores a message as if a person (or another bot) had posted it; returns its ts. */
  addMessage(channel: string, msg: NewMessage): string {
    const ts = msg.ts ?? this.nextTs();
    if (msg.ts) this.lastTsMicros = Math.max(this.lastTsMicros, tsToMicros(msg.ts));
    const stored: FakeMessage = { type: 'message', ts, text: msg.text, team: this.teamId };
    if (msg.user !== undefined) stored.user = msg.user;
    if (msg.bot_id !== undefined) stored.bot_id = msg.bot_id;
    if (msg.thread_ts !== undefined) stored.thread_ts = msg.thread_ts;
    if (msg.files !== undefined) stored.files = msg.files;
    if (msg.subtype !== undefined) stored.subtype = msg.subtype;
    if (msg.blocks !== undefined) stored.blocks = msg.blocks;
    this.insert(channel, stored);
    return ts;
  }

  addUser(id: string, user: FakeUser): void {
    this.users.set(id, user);
  }

  /**
   * Makes `channel` a private channel whose members are `members` (by default a channel is public and
   * everyone known is in it); removing someone later is `setPrivateChannel` again without them.
   */
  setPrivateChannel(channel: string, members: string[]): void {
    this.privateChannels.set(channel, { members: new Set(members) });
  }

  /** Makes every method answer channel_not_found for this channel (by default every channel exists). */
  setChannelMissing(channel: string): void {
    this.missingChannels.add(channel);
  }

  /** Serves `content` at the returned file's url_private, to requests bearing the bot token. */
  addFile(
    id: string,
    file: { name: string; mimetype: string; filetype?: string; content: Buffer },
  ): FakeFile {
    const url = `${this.origin}/files/${encodeURIComponent(id)}/${encodeURIComponent(file.name)}`;
    const info: FakeFile = {
      id,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.filetype ?? file.name.split('.').pop() ?? 'binary',
      size: file.content.length,
      url_private: url,
      url_private_download: `${url}?download=1`,
    };
    this.files.set(id, { ...info, content: file.content });
    return { ...info };
  }

  // ---- fault injection ----

  failNext(method: string, fault: SlackFault): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < (fault.after ?? 0); i++) queue.push(PASS);
    for (let i = 0; i < (fault.times ?? 1); i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  /**
   * Enforces Slack's rate tiers from now on (slack-rate-tiers.ts), or `tiers` instead (smaller ones
   * keep a burst test short): a call past its method's limit is answered 429 with Retry-After.
   */
  enforceRateLimits(tiers: Record<string, FakeTier> = SLACK_TIERS): void {
    this.rateTiers = new SlackRateTiers(tiers);
  }

  /** Calls the fake answered 429, by method. */
  rateLimited(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.calls) if (c.status === 429) counts[c.method] = (counts[c.method] ?? 0) + 1;
    return counts;
  }

  setLatency(method: string, ms: number): void {
    this.latencies.set(method, ms);
  }

  /** A stream idle longer than this (since its start or last append) answers message_not_in_streaming_state. */
  setStreamIdleLimit(ms: number): void {
    this.streamIdleLimitMs = ms;
  }

  /**
   * Refuses task_update and plan_update chunks on the streaming methods with `error`, as Slack does
   * for an app without the agent feature; markdown streaming goes on working.
   */
  refuseTaskChunks(error = 'invalid_chunks'): void {
    this.taskChunksRefusal = error;
  }

  /** Slack ends each stream after it has taken `appends` appends: the next one is refused. */
  endStreamsAfterAppends(appends: number): void {
    this.streamAppendLimit = appends;
  }

  // ---- observation ----

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The plan title and task cards of a streamed message, as its chunks left them. */
  streamOf(ts: string): FakeStream | undefined {
    const stream = this.streams.get(ts);
    return stream ? structuredClone(stream) : undefined;
  }

  /** The DM channel between the bot and `user` (the id chat.postMessage takes a user id for). */
  imChannel(user: string): string {
    return `D${user.replace(/^U/, '')}`;
  }

  /** The thread's parent and its replies as stored now (bot posts included), oldest first. */
  threadMessages(channel: string, threadTs: string): FakeMessage[] {
    return this.messagesOf(channel)
      .filter((m) => m.ts === threadTs || m.thread_ts === threadTs)
      .map((m) => structuredClone(m));
  }

  /** Every message of a channel, oldest first, replies included. */
  channelMessages(channel: string): FakeMessage[] {
    return this.messagesOf(channel).map((m) => structuredClone(m));
  }

  /** Polls `fn` every 20 ms until it returns something other than undefined/false (or stops throwing). */
  waitFor<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return waitUntil(fn, { timeoutMs, onTimeout: (lastError) => this.timeoutMessage(timeoutMs, lastError) });
  }

  /** Forgets every message, user, call, fault and view; the bot user stays. */
  reset(): void {
    this.calls.length = 0;
    this.ephemerals.length = 0;
    this.assistantStatuses.length = 0;
    this.fileDownloads.length = 0;
    this.uploadedFiles.length = 0;
    this.uploads.clear();
    for (const map of [this.views, this.channels, this.users, this.files, this.faults, this.latencies]) {
      map.clear();
    }
    this.streams.clear();
    this.suggestedPrompts.length = 0;
    this.threadTitles.length = 0;
    this.taskChunksRefusal = undefined;
    this.streamAppendLimit = undefined;
    this.rateTiers = undefined;
    this.missingChannels.clear();
    this.privateChannels.clear();
    this.addBotUser();
  }

  /** A response_url as Slack gives one with a slash command (hooks.slack.com in real Slack). */
  responseUrl(id: string): string {
    return `${this.origin}/responses/${id}`;
  }

  // ---- HTTP ----

  /** response_url takes JSON without a token, and answers a plain "ok". */
  private async receiveResponse(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid_payload');
      return;
    }
    this.responses.push({
      id: url.pathname.slice('/responses/'.length),
      body: body as Record<string, unknown>,
      at: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) return this.serveFile(req, res, url);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/v1/'))
      return this.receiveUpload(req, res, url);
    if (req.method === 'POST' && url.pathname.startsWith('/responses/'))
      return this.receiveResponse(req, res, url);
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : undefined;
    if (!method) return this.send(res, 404, { ok: false, error: 'not_found' });
    const raw = await readBody(req);
    const params = parseParams(raw, req.headers['content-type'] ?? '', url.searchParams);
    const token = bearer(req) ?? (typeof params?.token === 'string' ? params.token : undefined);
    const { token: _secret, ...recorded } = params ?? {};
    const call: SlackCall = { method, params: recorded, at: Date.now(), arrived: ++this.steps };
    this.calls.push(call);

    await this.delays.wait(this.latencies.get(method) ?? 0);
    const queued = this.faults.get(method)?.shift();
    const fault = queued === PASS ? undefined : queued;
    if (fault) return this.sendFault(res, call, fault);
    const retryAfterSec = this.rateTiers?.admit(token ?? '', method, params?.channel, Date.now());
    if (retryAfterSec !== undefined)
      return this.sendFault(res, call, { error: 'ratelimited', status: 429, retryAfterSec });
    const install = token ? this.oauth.install(token) : undefined;
    if (install) call.installation = install.isEnterpriseInstall ? install.enterpriseId : install.teamId;
    const body = this.dispatch(method, params, token);
    return this.send(res, 200, body, call);
  }

  private dispatch(method: string, params: Params | undefined, token: string | undefined): SlackBody {
    // The one method that takes the app-level token instead of the bot token.
    if (method === 'apps.connections.open') return this.socketMode.open(token);
    // Client credentials, not a token: the code exchange and token rotation.
    if (method === 'oauth.v2.access')
      return params ? this.oauth.access(params, Date.now()) : fail('invalid_json');
    const handler = this.handlers[method];
    if (!handler) return fail('unknown_method', { req_method: method });
    if (!token) return fail('not_authed');
    if (token === this.appToken) return fail('not_allowed_token_type');
    const install = this.oauth.install(token);
    if (token !== this.botToken && !install) return fail('invalid_auth');
    const refused = install ? this.oauth.refusal(install, Date.now()) : undefined;
    if (refused) return fail(refused);
    if (!params) return fail('invalid_json');
    this.caller = install;
    try {
      return handler(params);
    } finally {
      this.caller = undefined;
    }
  }

  private sendFault(res: ServerResponse, call: SlackCall, fault: SlackFault): void {
    const status = fault.status ?? 200;
    const headers: Record<string, string> = {};
    if (status === 429) headers['retry-after'] = String(fault.retryAfterSec ?? 1);
    else if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(fault.retryAfterSec);
    this.send(res, status, fail(fault.error), call, headers);
  }

  private send(
    res: ServerResponse,
    status: number,
    body: SlackBody,
    call?: SlackCall,
    headers: Record<string, string> = {},
  ): void {
    if (call) {
      call.answered = ++this.steps;
      call.status = status;
      call.response = body;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private serveFile(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const [, , id = ''] = url.pathname.split('/');
    const file = this.files.get(decodeURIComponent(id));
    if (bearer(req) !== this.botToken) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('unauthorized');
      return;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    this.fileDownloads.push(file.id);
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.content.length) });
    res.end(file.content);
  }

  /**
   * The upload URL files.getUploadURLExternal handed out (files.slack.com in real Slack): takes the
   * file as raw bytes or as a multipart form, needs no token (the URL is the credential), and answers
   * 200 "OK - <bytes>" or a non-200 status, as Slack's upload service does.
   */
  private async receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const id = decodeURIComponent(url.pathname.slice('/upload/v1/'.length));
    const upload = this.uploads.get(id);
    const raw = await readBodyBytes(req);
    if (!upload) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('upload not found');
      return;
    }
    const content = multipartFile(raw, req.headers['content-type'] ?? '') ?? raw;
    upload.content = content;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${content.length}`);
  }

  // ---- Web API methods ----

  private buildHandlers(): Record<string, (p: Params) => SlackBody> {
    return {
      'auth.test': () => this.authTest(),
      'auth.revoke': (p) => this.authRevoke(p),
      'chat.postMessage': (p) => this.inChannel(p, (c) => this.postMessage(c, p)),
      'chat.update': (p) => this.inChannel(p, (c) => this.update(c, p)),
      'chat.postEphemeral': (p) => this.inChannel(p, (c) => this.postEphemeral(c, p)),
      'chat.delete': (p) => this.inChannel(p, (c) => this.deleteMessage(c, p)),
      'chat.startStream': (p) => this.inChannel(p, (c) => this.startStream(c, p)),
      'chat.appendStream': (p) => this.inChannel(p, (c) => this.appendStream(c, p)),
      'chat.stopStream': (p) => this.inChannel(p, (c) => this.stopStream(c, p)),
      'chat.getPermalink': (p) => this.inChannel(p, (c) => this.getPermalink(c, p)),
      'conversations.replies': (p) => this.inChannel(p, (c) => this.replies(c, p)),
      'conversations.history': (p) => this.inChannel(p, (c) => this.history(c, p)),
      'conversations.info': (p) => this.inChannel(p, (c) => this.conversationInfo(c)),
      'conversations.members': (p) => this.inChannel(p, (c) => this.conversationMembers(c, p)),
      'users.info': (p) => this.usersInfo(p),
      'files.info': (p) => this.filesInfo(p),
      'files.getUploadURLExternal': (p) => this.getUploadUrlExternal(p),
      'files.completeUploadExternal': (p) => this.completeUploadExternal(p),
      'views.open': (p) => this.viewsOpen(p),
      'views.update': (p) => this.viewsUpdate(p),
      'views.publish': (p) => this.viewsPublish(p),
      'assistant.threads.setStatus': (p) => this.setStatus(p),
      'assistant.threads.setSuggestedPrompts': (p) => this.setSuggestedPrompts(p),
      'assistant.threads.setTitle': (p) => this.setTitle(p),
      'reactions.add': (p) => this.reactionsAdd(p),
    };
  }

  /** auth.revoke: the calling token stops working (with test=true it is only checked). */
  private authRevoke(p: Params): SlackBody {
    if (flag(p, 'test')) return ok({ revoked: false });
    if (this.caller) this.oauth.revoke(this.caller);
    return ok({ revoked: true });
  }

  private authTest(): SlackBody {
    const caller = this.caller;
    if (caller)
      return ok({
        url: WORKSPACE_URL,
        team: 'Fake Workspace',
        user: 'architect',
        team_id: caller.teamId ?? null,
        user_id: caller.botUserId,
        bot_id: caller.botId,
        ...(caller.enterpriseId ? { enterprise_id: caller.enterpriseId } : {}),
        is_enterprise_install: caller.isEnterpriseInstall,
      });
    return ok({
      url: WORKSPACE_URL,
      team: 'Fake Workspace',
      user: this.users.get(this.botUserId)?.name ?? 'architect',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    });
  }

  private postMessage(channel: string, p: Params): SlackBody {
    const problem = contentProblem(p);
    if (problem) return problem;
    const message = this.botMessage(p, this.nextTs());
    const threadTs = str(p, 'thread_ts');
    if (threadTs) message.thread_ts = threadTs;
    this.insert(channel, message);
    return ok({ channel, ts: message.ts, message: this.present(channel, message) });
  }

  private update(channel: string, p: Params): SlackBody {
    const message = this.find(channel, str(p, 'ts'));
    if (!message) return fail('message_not_found');
    if (!this.isOwn(message)) return fail('cant_update_message');
    const contentError = contentProblem(p);
    if (contentError) return contentError;
    const text = str(p, 'text');
    if (text !== undefined) message.text = text;
    // Like Slack: blocks omitted keep the old ones; an empty array removes them.
    if (Array.isArray(p.blocks)) message.blocks = p.blocks;
    if (Array.isArray(p.attachments)) message.attachments = p.attachments;
    message.edited = { user: this.botUserId, ts: this.nextTs() };
    return ok({ channel, ts: message.ts, text: message.text, message: this.present(channel, message) });
  }

  private postEphemeral(channel: string, p: Params): SlackBody {
    const user = str(p, 'user');
    if (!user) return fail('user_not_in_channel');
    const contentError = contentProblem(p);
    if (contentError) return contentError;
    const ephemeral: FakeEphemeral = {
      channel,
      user,
      text: str(p, 'text') ?? '',
      message_ts: this.nextTs(),
      at: Date.now(),
    };
    if (Array.isArray(p.blocks)) ephemeral.blocks = p.blocks;
    const threadTs = str(p, 'thread_ts');
    if (threadTs) ephemeral.thread_ts = threadTs;
    this.ephemerals.push(ephemeral);
    return ok({ message_ts: ephemeral.message_ts });
  }

  private deleteMessage(channel: string, p: Params): SlackBody {
    const message = this.find(channel, str(p, 'ts'));
    if (!message) return fail('message_not_found');
    if (!this.isOwn(message)) return fail('cant_delete_message');
    const list = this.messagesOf(channel);
    const hasReplies = list.some((m) => m.thread_ts === message.ts && m.ts !== message.ts);
    if (hasReplies) {
      // Slack keeps a deleted parent as a tombstone so its thread survives.
      Object.assign(message, { subtype: 'tombstone', text: 'This message was deleted.', blocks: [] });
    } else {
      list.splice(list.indexOf(message), 1);
    }
    return ok({ channel, ts: message.ts });
  }

  /**
   * Starts a streamed reply: in a channel (not a DM) Slack needs the recipient user and team. The
   * message is stored at once and grows with each append; `text` holds the markdown streamed so far.
   */
  private startStream(channel: string, p: Params): SlackBody {
    const threadTs = str(p, 'thread_ts');
    if (!threadTs) return fail('invalid_arguments', { errors: ['thread_ts is required'] });
    const inDm = channel.startsWith('D');
    if (!inDm && (!str(p, 'recipient_user_id') || !str(p, 'recipient_team_id'))) {
      return fail('invalid_arguments', {
        errors: ['recipient_user_id and recipient_team_id are required when streaming to channels'],
      });
    }
    const mode = str(p, 'task_display_mode') ?? 'timeline';
    if (mode !== 'timeline' && mode !== 'plan')
      return fail('invalid_arguments', { errors: ['task_display_mode must be timeline or plan'] });
    const chunks = this.streamChunks(p);
    if ('error' in chunks) return chunks.error;
    if (chunks.text.length > STREAM_TEXT_LIMIT) return fail('msg_too_long');
    const message = this.botMessage({ text: chunks.text }, this.nextTs());
    message.thread_ts = threadTs;
    this.insert(channel, message);
    const stream: FakeStream = {
      channel,
      stopped: false,
      lastAt: Date.now(),
      appends: 0,
      taskDisplayMode: mode,
      tasks: [],
    };
    applyTaskChunks(stream, chunks.chunks);
    this.streams.set(message.ts, stream);
    return ok({ channel, ts: message.ts });
  }

  /** The chunks of a streaming call, checked as Slack checks them, and the markdown they carry. */
  private streamChunks(p: Params): { text: string; chunks: StreamChunk[] } | { error: SlackBody } {
    const parsed = parseChunks(p.chunks);
    if (parsed === undefined) return { error: fail('invalid_chunks') };
    const refused = this.taskChunksRefusal;
    if (refused && parsed.some((c) => c.type === 'task_update' || c.type === 'plan_update'))
      return { error: fail(refused) };
    const fromChunks = parsed.map((c) => (c.type === 'markdown_text' ? c.text : '')).join('');
    return { text: (str(p, 'markdown_text') ?? '') + fromChunks, chunks: parsed };
  }

  private appendStream(channel: string, p: Params): SlackBody {
    const found = this.streamingMessage(channel, p);
    if ('error' in found) return found.error;
    const limit = this.streamAppendLimit;
    if (limit !== undefined && found.stream.appends >= limit) {
      found.stream.stopped = true;
      return fail('message_not_in_streaming_state');
    }
    const chunks = this.streamChunks(p);
    if ('error' in chunks) return chunks.error;
    if (!chunks.text && chunks.chunks.length === 0)
      return fail('invalid_arguments', { errors: ['markdown_text or chunks is required'] });
    if (chunks.text.length > STREAM_TEXT_LIMIT) return fail('msg_too_long');
    found.message.text += chunks.text;
    applyTaskChunks(found.stream, chunks.chunks);
    found.stream.appends++;
    found.stream.lastAt = Date.now();
    return ok({ channel, ts: found.message.ts });
  }

  /** Ends a stream, with optional last text and blocks (added below the streamed text). */
  private stopStream(channel: string, p: Params): SlackBody {
    const found = this.streamingMessage(channel, p);
    if ('error' in found) return found.error;
    const chunks = this.streamChunks(p);
    if ('error' in chunks) return chunks.error;
    const text = chunks.text;
    applyTaskChunks(found.stream, chunks.chunks);
    if (typeof p.blocks === 'string') return fail('invalid_blocks_format');
    if (p.blocks !== undefined) {
      const errors = blockKitViolations(p.blocks);
      if (errors.length > 0) return fail('invalid_blocks', { errors });
      found.message.blocks = p.blocks as unknown[];
    }
    found.message.text += text;
    found.stream.stopped = true;
    return ok({ channel, ts: found.message.ts, message: this.present(channel, found.message) });
  }

  private streamingMessage(
    channel: string,
    p: Params,
  ): { message: FakeMessage; stream: FakeStream } | { error: SlackBody } {
    const message = this.find(channel, str(p, 'ts'));
    if (!message) return { error: fail('message_not_found') };
    const stream = this.streams.get(message.ts);
    if (!stream || stream.channel !== channel || stream.stopped) {
      return { error: fail('message_not_in_streaming_state') };
    }
    if (Date.now() - stream.lastAt > this.streamIdleLimitMs) {
      stream.stopped = true;
      return { error: fail('message_not_in_streaming_state') };
    }
    return { message, stream };
  }

  private getPermalink(channel: string, p: Params): SlackBody {
    const message = this.find(channel, str(p, 'message_ts'));
    if (!message) return fail('message_not_found');
    const base = `${WORKSPACE_URL}archives/${channel}/p${message.ts.replace('.', '')}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    const permalink = isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base;
    return ok({ channel, permalink });
  }

  /**
   * The parent first, then its replies in ts order. A reply's own ts yields just that reply. The
   * parent comes on the first page only and counts towards `limit`; oldest/latest filter the replies.
   */
  private replies(channel: string, p: Params): SlackBody {
    const ts = str(p, 'ts');
    if (!ts) return fail('invalid_arguments');
    const thread = this.threadFor(channel, ts);
    if (!thread) return fail('thread_not_found');
    const { parent } = thread;
    const replies = thread.replies.filter(inRange(p));
    const after = decodeCursor(str(p, 'cursor'));
    const limit = clampLimit(int(p, 'limit'), 1000);
    const candidates =
      after === undefined
        ? [...(parent ? [parent] : []), ...replies]
        : replies.filter((m) => tsToMicros(m.ts) >= tsToMicros(after));
    return this.page(channel, candidates, limit, flag(p, 'include_all_metadata'));
  }

  /** Top-level messages (and thread broadcasts), newest first. */
  private history(channel: string, p: Params): SlackBody {
    const after = decodeCursor(str(p, 'cursor'));
    const limit = clampLimit(int(p, 'limit'), 100);
    const candidates = this.messagesOf(channel)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
      .filter(inRange(p))
      .reverse()
      .filter((m) => after === undefined || tsToMicros(m.ts) <= tsToMicros(after));
    return this.page(channel, candidates, limit, flag(p, 'include_all_metadata'));
  }

  /** As Slack: a message's metadata is returned only with `include_all_metadata`. */
  private page(channel: string, candidates: FakeMessage[], limit: number, withMetadata: boolean): SlackBody {
    const messages = candidates.slice(0, limit).map((m) => {
      const shown = this.present(channel, m);
      if (withMetadata) return shown;
      const { metadata: _hidden, ...rest } = shown;
      return rest;
    });
    const next = candidates[limit];
    if (!next) return ok({ messages, has_more: false });
    return ok({ messages, has_more: true, response_metadata: { next_cursor: encodeCursor(next.ts) } });
  }

  /** What conversations.info says of a channel: its kind and whether it is private. */
  private conversationInfo(channel: string): SlackBody {
    const isIm = channel.startsWith('D');
    const isPrivate = isIm || this.privateChannels.has(channel);
    return ok({
      channel: {
        id: channel,
        name: isIm ? undefined : channel.toLowerCase(),
        is_channel: !isIm && !isPrivate,
        is_group: !isIm && isPrivate,
        is_im: isIm,
        is_mpim: false,
        is_private: isPrivate,
        is_archived: false,
        is_member: true,
        created: 1_700_000_000,
      },
    });
  }

  /**
   * A page of a conversation's member ids: Slack caps `limit` at 999 (invalid_limit above 1000) and
   * pages with response_metadata.next_cursor, an empty string on the last page.
   */
  private conversationMembers(channel: string, p: Params): SlackBody {
    const limit = int(p, 'limit') ?? 100;
    if (limit < 1 || limit > 1000) return fail('invalid_limit');
    const members = [...(this.privateChannels.get(channel)?.members ?? this.users.keys())].sort();
    const cursor = str(p, 'cursor');
    let start = 0;
    if (cursor) {
      const decoded = Number(
        Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(decoded) || decoded < 0) return fail('invalid_cursor');
      start = decoded;
    }
    const page = members.slice(start, start + limit);
    const next =
      start + limit < members.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
    return ok({ members: page, response_metadata: { next_cursor: next } });
  }

  private usersInfo(p: Params): SlackBody {
    const id = str(p, 'user') ?? '';
    const user = this.users.get(id);
    if (!user) return fail('user_not_found');
    const realName = user.real_name ?? user.name;
    const displayName = user.display_name ?? '';
    return ok({
      user: {
        id,
        team_id: this.teamId,
        name: user.name,
        deleted: false,
        real_name: realName,
        is_bot: user.is_bot ?? false,
        is_app_user: false,
        is_admin: user.is_admin ?? false,
        is_owner: user.is_owner ?? false,
        is_restricted: user.is_restricted ?? false,
        is_ultra_restricted: user.is_ultra_restricted ?? false,
        profile: {
          display_name: displayName,
          display_name_normalized: displayName,
          real_name: realName,
          real_name_normalized: realName,
          ...(id === this.botUserId ? { bot_id: this.botId } : {}),
        },
      },
    });
  }

  private filesInfo(p: Params): SlackBody {
    const file = this.files.get(str(p, 'file') ?? '');
    if (!file) return fail('file_not_found');
    const { content: _content, ...info } = file;
    return ok({ file: info });
  }

  /** Step 1 of an upload: `filename` and `length` (bytes, above 0) are required. */
  private getUploadUrlExternal(p: Params): SlackBody {
    const filename = str(p, 'filename');
    const length = int(p, 'length');
    if (!filename)
      return fail('invalid_arguments', { response_metadata: { messages: ['filename is required'] } });
    if (length === undefined || length <= 0)
      return fail('invalid_arguments', { response_metadata: { messages: ['length must be above 0'] } });
    const id = `F${String(++this.uploadCounter).padStart(9, '0')}`;
    this.uploads.set(id, { filename, length });
    return ok({ upload_url: `${this.origin}/upload/v1/${id}`, file_id: id });
  }

  /**
   * Step 3: every file id must have been uploaded (else file_not_found); with `channel_id` the files are
   * shared there, in `thread_ts`'s thread when given, in one message whose text is `initial_comment`.
   */
  private completeUploadExternal(p: Params): SlackBody {
    let files: unknown = p.files;
    if (typeof files === 'string') {
      try {
        files = JSON.parse(files);
      } catch {
        return fail('invalid_arguments', { response_metadata: { messages: ['files must be a JSON array'] } });
      }
    }
    if (
      !Array.isArray(files) ||
      files.length === 0 ||
      !files.every((f) => isRecord(f) && typeof f.id === 'string')
    )
      return fail('invalid_arguments', { response_metadata: { messages: ['files must list file ids'] } });
    const channel = str(p, 'channel_id');
    if (channel && this.missingChannels.has(channel)) return fail('channel_not_found');
    const threadTs = str(p, 'thread_ts');
    if (channel && threadTs && !this.find(channel, threadTs)) return fail('invalid_thread_ts');
    const done: (FakeFile & { content: Buffer })[] = [];
    for (const f of files as { id: string; title?: unknown }[]) {
      const upload = this.uploads.get(f.id);
      if (!upload?.content) return fail('file_not_found');
      const info = this.addFile(f.id, {
        name: upload.filename,
        mimetype: upload.filename.endsWith('.md') ? 'text/markdown' : 'application/octet-stream',
        content: upload.content,
      });
      const title = typeof f.title === 'string' && f.title !== '' ? f.title : upload.filename;
      done.push({ ...info, title, content: upload.content });
      this.uploads.delete(f.id);
    }
    const shared = done.map(({ content: _c, ...info }) => ({
      ...info,
      permalink: `${WORKSPACE_URL}files/${this.botUserId}/${info.id}/${encodeURIComponent(info.name)}`,
    }));
    if (channel) {
      const message = this.botMessage({ text: str(p, 'initial_comment') ?? '' }, this.nextTs());
      message.files = shared;
      if (threadTs) message.thread_ts = threadTs;
      this.insert(channel, message);
    }
    for (const file of done)
      this.uploadedFiles.push({
        ...file,
        ...(channel ? { channel } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    return ok({ files: shared });
  }

  private viewsOpen(p: Params): SlackBody {
    if (!str(p, 'trigger_id')) return fail('invalid_arguments', { errors: ['trigger_id is required'] });
    const problem = viewProblem(p.view);
    if (problem) return problem;
    return ok({ view: this.storeView(p.view as Record<string, unknown>) });
  }

  private viewsUpdate(p: Params): SlackBody {
    const id = str(p, 'view_id');
    const externalId = str(p, 'external_id');
    const existing = [...this.views.values()].find(
      (v) => (id !== undefined && v.id === id) || (externalId !== undefined && v.external_id === externalId),
    );
    if (!existing) return fail('not_found');
    const hash = str(p, 'hash');
    if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
    const problem = viewProblem(p.view);
    if (problem) return problem;
    return ok({ view: this.storeView(p.view as Record<string, unknown>, String(existing.id)) });
  }

  private viewsPublish(p: Params): SlackBody {
    const userId = str(p, 'user_id');
    if (!userId) return fail('invalid_arguments', { errors: ['user_id is required'] });
    const problem = viewProblem(p.view);
    if (problem) return problem;
    const view = p.view as Record<string, unknown>;
    if (view.type !== 'home') return fail('invalid_arguments', { errors: ['view.type must be home'] });
    const existing = [...this.views.values()].find((v) => v.type === 'home' && v.user_id === userId);
    return ok({
      view: this.storeView({ ...view, user_id: userId }, existing ? String(existing.id) : undefined),
    });
  }

  private setStatus(p: Params): SlackBody {
    const channelId = str(p, 'channel_id');
    const threadTs = str(p, 'thread_ts');
    const status = str(p, 'status');
    if (!channelId || !threadTs || status === undefined) return fail('invalid_arguments');
    this.assistantStatuses.push({ channel_id: channelId, thread_ts: threadTs, status, at: Date.now() });
    return ok();
  }

  /**
   * Up to four prompts, each with a title and a message. Under the agent view Slack takes them without
   * thread_ts (for the DM itself); with one, the thread must exist.
   */
  private setSuggestedPrompts(p: Params): SlackBody {
    const channelId = str(p, 'channel_id');
    if (!channelId || this.missingChannels.has(channelId)) return fail('channel_not_found');
    const prompts = p.prompts;
    if (
      !Array.isArray(prompts) ||
      prompts.length === 0 ||
      prompts.length > 4 ||
      !prompts.every((x) => isRecord(x) && typeof x.title === 'string' && typeof x.message === 'string')
    )
      return fail('invalid_arguments', { errors: ['prompts must be 1 to 4 objects with title and message'] });
    const threadTs = str(p, 'thread_ts');
    if (threadTs && !this.find(channelId, threadTs)) return fail('invalid_thread_ts');
    const title = str(p, 'title');
    this.suggestedPrompts.push({
      channel_id: channelId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(title ? { title } : {}),
      prompts: prompts.map((x) => ({ title: String(x.title), message: String(x.message) })),
    });
    return ok();
  }

  /** A conversation's title in the agent's DM: the thread must exist there. */
  private setTitle(p: Params): SlackBody {
    const channelId = str(p, 'channel_id');
    const threadTs = str(p, 'thread_ts');
    const title = str(p, 'title');
    if (!channelId || this.missingChannels.has(channelId)) return fail('channel_not_found');
    if (!threadTs || !title) return fail('invalid_arguments');
    if (!this.find(channelId, threadTs)) return fail('invalid_thread_ts');
    this.threadTitles.push({ channel_id: channelId, thread_ts: threadTs, title });
    return ok();
  }

  private reactionsAdd(p: Params): SlackBody {
    const channel = str(p, 'channel');
    const name = str(p, 'name');
    const message = channel ? this.find(channel, str(p, 'timestamp')) : undefined;
    if (message && name) {
      const reactions = message.reactions ?? [];
      message.reactions = reactions;
      const existing = reactions.find((r) => r.name === name);
      if (existing?.users.includes(this.botUserId)) return fail('already_reacted');
      if (existing) {
        existing.users.push(this.botUserId);
        existing.count++;
      } else {
        reactions.push({ name, users: [this.botUserId], count: 1 });
      }
    }
    return ok();
  }

  // ---- workspace internals ----

  /** The bot a call speaks as: its installation's in OAuth tests, the default one otherwise. */
  private get actingBot(): { userId: string; botId: string; teamId: string } {
    const c = this.caller;
    return c
      ? { userId: c.botUserId, botId: c.botId, teamId: c.teamId ?? c.enterpriseId ?? '' }
      : { userId: this.botUserId, botId: this.botId, teamId: this.teamId };
  }

  private addBotUser(): void {
    this.users.set(this.botUserId, { name: 'architect', real_name: 'Architect', is_bot: true });
  }

  private nextTs(): string {
    this.lastTsMicros += TS_STEP_MICROS;
    return microsToTs(this.lastTsMicros);
  }

  private messagesOf(channel: string): FakeMessage[] {
    let list = this.channels.get(channel);
    if (!list) {
      list = [];
      this.channels.set(channel, list);
    }
    return list;
  }

  private insert(channel: string, message: FakeMessage): void {
    const list = this.messagesOf(channel);
    list.push(message);
    list.sort((a, b) => tsToMicros(a.ts) - tsToMicros(b.ts));
  }

  private find(channel: string, ts: string | undefined): FakeMessage | undefined {
    return ts === undefined ? undefined : this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  /** What conversations.replies shows for `ts`: the parent and its replies, or a lone reply. */
  private threadFor(
    channel: string,
    ts: string,
  ): { parent: FakeMessage | undefined; replies: FakeMessage[] } | undefined {
    const message = this.find(channel, ts);
    if (message?.thread_ts && message.thread_ts !== ts) return { parent: message, replies: [] };
    const replies = this.messagesOf(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);
    if (!message && replies.length === 0) return undefined;
    // Replies whose parent was never added stay reachable, shown without a parent.
    return { parent: message, replies };
  }

  private isOwn(message: FakeMessage): boolean {
    return message.user === this.actingBot.userId || message.bot_id === this.actingBot.botId;
  }

  private botMessage(p: Params, ts: string): FakeMessage {
    const message: FakeMessage = {
      type: 'message',
      ts,
      text: str(p, 'text') ?? '',
      user: this.actingBot.userId,
      bot_id: this.actingBot.botId,
      app_id: APP_ID,
      team: this.actingBot.teamId,
    };
    if (Array.isArray(p.blocks)) message.blocks = p.blocks;
    if (Array.isArray(p.attachments)) message.attachments = p.attachments;
    if (p.metadata !== undefined) message.metadata = p.metadata;
    return message;
  }

  /** A stored message as Slack's API shows it: parents carry reply counts, replies their parent's user. */
  private present(channel: string, message: FakeMessage): SlackBody {
    const out: SlackBody = { ...structuredClone(message) };
    const list = this.messagesOf(channel);
    const replies = list.filter((m) => m.thread_ts === message.ts && m.ts !== message.ts);
    if (replies.length > 0) {
      const users = [...new Set(replies.map((r) => r.user).filter((u): u is string => u !== undefined))];
      Object.assign(out, {
        thread_ts: message.ts,
        reply_count: replies.length,
        reply_users: users,
        reply_users_count: users.length,
        latest_reply: replies[replies.length - 1]?.ts,
      });
    } else if (message.thread_ts && message.thread_ts !== message.ts) {
      const parentUser = this.find(channel, message.thread_ts)?.user;
      if (parentUser) out.parent_user_id = parentUser;
    }
    return out;
  }

  /** Runs a channel method; every channel exists unless setChannelMissing() said otherwise. */
  private inChannel(p: Params, method: (channel: string) => SlackBody): SlackBody {
    const named = str(p, 'channel');
    if (!named || this.missingChannels.has(named)) return fail('channel_not_found');
    // Another workspace's channel does not exist as far as this token can tell.
    if (this.caller && !this.oauth.reaches(this.caller, named)) return fail('channel_not_found');
    // Like Slack, a user id names the bot's DM with that user.
    const channel = /^U[A-Z0-9]+$/.test(named) ? this.imChannel(named) : named;
    return method(channel);
  }

  private storeView(view: Record<string, unknown>, id?: string): Record<string, unknown> {
    const viewId = id ?? `V${String(++this.viewCounter).padStart(8, '0')}`;
    const stored: Record<string, unknown> = {
      id: viewId,
      team_id: this.teamId,
      app_id: APP_ID,
      bot_id: this.botId,
      private_metadata: '',
      callback_id: '',
      external_id: '',
      state: { values: {} },
      ...view,
      root_view_id: viewId,
      hash: `${Date.now()}.${Math.random().toString(36).slice(2, 10)}`,
    };
    this.views.set(viewId, stored);
    return structuredClone(stored);
  }

  private timeoutMessage(timeoutMs: number, lastError: unknown): string {
    const recent = this.calls
      .slice(-20)
      .map((c) => `${c.method}${c.response?.ok === false ? `(${String(c.response.error)})` : ''}`)
      .join(', ');
    const cause = lastError instanceof Error ? ` Last error from the predicate: ${lastError.message}.` : '';
    return `SlackApiFake.waitFor timed out after ${timeoutMs} ms.${cause} Recent calls: ${recent || '(none)'}`;
  }
}

/** The first file part of a multipart/form-data body; undefined for any other body. */
function multipartFile(raw: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!contentType.startsWith('multipart/form-data') || !marker) return undefined;
  const delimiter = Buffer.from(`--${marker}`);
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next === -1) return undefined;
    const part = raw.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1 && /filename=/i.test(part.subarray(0, headerEnd).toString('utf8'))) {
      // The part ends with the CRLF that precedes the next delimiter.
      return part.subarray(headerEnd + 4, part.length - 2);
    }
    at = next;
  }
  return undefined;
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

type StreamChunk =
  | { type: 'markdown_text'; text: string }
  | { type: 'plan_update'; title: string }
  | ({ type: 'task_update' } & FakeTask)
  | { type: 'blocks'; blocks: unknown[] };

const TASK_STATUSES = new Set(['pending', 'in_progress', 'complete', 'error']);
/** Slack's limit on a task card's details and output. */
const TASK_TEXT_LIMIT = 256;

/**
 * A streaming call's `chunks` (JSON-encoded in a form body), checked against Slack's chunk types:
 * markdown_text, plan_update, task_update (id, title, status; details and output up to 256 characters;
 * url sources) and blocks. Undefined when any chunk is malformed, which Slack answers invalid_chunks.
 */
function parseChunks(raw: unknown): StreamChunk[] | undefined {
  let chunks: unknown = raw;
  if (chunks === undefined) return [];
  if (typeof chunks === 'string') {
    try {
      chunks = JSON.parse(chunks);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(chunks)) return undefined;
  const out: StreamChunk[] = [];
  for (const c of chunks) {
    if (!isRecord(c)) return undefined;
    if (c.type === 'markdown_text' && typeof c.text === 'string') out.push({ type: c.type, text: c.text });
    else if (c.type === 'plan_update' && typeof c.title === 'string' && c.title !== '')
      out.push({ type: c.type, title: c.title });
    else if (c.type === 'blocks' && Array.isArray(c.blocks)) out.push({ type: c.type, blocks: c.blocks });
    else if (c.type === 'task_update') {
      const { id, title, status, details, output, sources } = c;
      if (typeof id !== 'string' || id === '' || typeof title !== 'string' || title === '') return undefined;
      if (typeof status !== 'string' || !TASK_STATUSES.has(status)) return undefined;
      for (const text of [details, output])
        if (text !== undefined && (typeof text !== 'string' || text.length > TASK_TEXT_LIMIT))
          return undefined;
      const urlSources =
        sources === undefined ||
        (Array.isArray(sources) &&
          sources.every((x) => isRecord(x) && x.type === 'url' && typeof x.url === 'string'));
      if (!urlSources) return undefined;
      out.push({
        type: 'task_update',
        id,
        title,
        status: status as FakeTask['status'],
        ...(typeof details === 'string' ? { details } : {}),
        ...(typeof output === 'string' ? { output } : {}),
        ...(Array.isArray(sources) ? { sources } : {}),
      });
    } else return undefined;
  }
  return out;
}

/** A task_update replaces the card with its id (or adds it); a plan_update retitles the plan. */
function applyTaskChunks(stream: FakeStream, chunks: StreamChunk[]): void {
  for (const chunk of chunks) {
    if (chunk.type === 'plan_update') stream.planTitle = chunk.title;
    if (chunk.type !== 'task_update') continue;
    const { type: _type, ...task } = chunk;
    const index = stream.tasks.findIndex((t) => t.id === task.id);
    if (index === -1) stream.tasks.push(task);
    else stream.tasks[index] = task;
  }
}

function clampLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || limit <= 0) return fallback;
  return Math.min(limit, 1000);
}

/** Slack's oldest/latest window: exclusive at both ends unless `inclusive` is set. */
function inRange(p: Params): (m: FakeMessage) => boolean {
  const oldest = str(p, 'oldest');
  const latest = str(p, 'latest');
  const inclusive = flag(p, 'inclusive');
  return (m) => {
    const t = tsToMicros(m.ts);
    if (oldest !== undefined && (inclusive ? t < tsToMicros(oldest) : t <= tsToMicros(oldest))) return false;
    if (latest !== undefined && (inclusive ? t > tsToMicros(latest) : t >= tsToMicros(latest))) return false;
    return true;
  };
}

function viewProblem(view: unknown): SlackBody | undefined {
  if (!isRecord(view)) return fail('invalid_arguments', { errors: ['view must be a JSON object'] });
  const errors = viewViolations(view);
  if (errors.length > 0) return fail('invalid_arguments', { errors });
  return undefined;
}
