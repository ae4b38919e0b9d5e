import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Review } from '../../src/domain/review';
import { sampleReview } from '../fixtures/sample-review';
import { waitUntil } from '../helpers/waits';
import { Delays } from './delays';
import { readBody } from './http-body';
import { type CacheUsage, estimateTokens, FakePromptCache, MAX_BREAKPOINTS } from './prompt-cache';

/**
 * A loopback Anthropic Messages API speaking the real wire format (JSON and SSE), so tests drive the
 * REAL @anthropic-ai/sdk client, including its retries and its stream accumulator, over real HTTP.
 * Answers are scripted per request with enqueue(); an empty script answers a valid review. Usage is
 * billed the way the API bills it, prompt cache included (see prompt-cache.ts).
 */

export interface Usage extends CacheUsage {
  output_tokens: number;
}

interface Answer {
  latencyMs?: number;
  /** Overrides the usage the fake works out from the request. */
  usage?: Partial<Usage>;
  /** Pause between streamed deltas, so tests can watch a review arrive piece by piece. */
  deltaDelayMs?: number;
  /**
   * Streams one token (about 4 characters) at a time at this many output tokens per second, as a
   * model writes, instead of a few large deltas.
   */
  tokensPerSec?: number;
  /** When the request asks for thinking: how many tokens of thinking come before the answer (default 400). */
  thinkingTokens?: number;
}

export type FakeStep =
  | ({ kind: 'review'; review?: Review } & Answer)
  /** `tool`: which of the request's tools the model calls (by default the one it was told to, or submit_review). */
  | ({ kind: 'toolInput'; input: unknown; tool?: string } & Answer)
  | ({ kind: 'text'; text: string } & Answer)
  | {
      kind: 'error';
      status: number;
      /** overloaded_error, rate_limit_error, api_error, invalid_request_error, authentication_error, ... */
      type: string;
      message?: string;
      /** Sent as retry-after and also as retry-after-ms, which the SDK prefers. */
      retryAfterSec?: number;
      /** Sent as retry-after-ms only: lets tests keep the SDK's retry wait to milliseconds. */
      retryAfterMs?: number;
      latencyMs?: number;
    }
  | { kind: 'dropMidStream' }
  /** Starts a stream, sends a first delta, then goes silent with the connection left open. */
  | { kind: 'stallMidStream' }
  | { kind: 'hang' };

export interface RecordedRequest {
  body: Record<string, unknown>;
  /** The body's size on the wire, in bytes: the API refuses one over REQUEST_MAX_BYTES. */
  bytes: number;
  headers: Record<string, string>;
  at: number;
  /** What the answer billed (set once the answer is worked out; absent for errors). */
  usage?: Usage;
  /**
   * When the delta completing each top-level field of the streamed tool input was sent (Date.now()):
   * `headline` is the model's own time to the verdict, for the benchmark.
   */
  fieldsSentAt: Record<string, number>;
}

type ContentBlock =
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'text'; text: string };

interface Reply {
  /** The thinking block that comes first when the request enabled thinking, as the API streams it. */
  thinking?: { type: 'thinking'; thinking: string; signature: string };
  block: ContentBlock;
  stopReason: 'tool_use' | 'end_turn';
  usage: Usage;
}

const DEFAULT_TOOL_NAME = 'submit_review';
const STREAM_CHUNKS = 5;

const DEFAULT_ERROR_MESSAGES: Record<string, string> = {
  overloaded_error: 'Overloaded',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
  api_error: 'Internal server error',
  invalid_request_error: 'Invalid request',
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
};

/** The Messages API's request limit (32 MB); read as decimal megabytes, the stricter reading. */
export const REQUEST_MAX_BYTES = 32_000_000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** IDs shaped like the real ones (msg_01…, toolu_01…, req_011…), which some code logs or matches. */
function randomId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const chars = [...randomBytes(22)].map((b) => alphabet[b % alphabet.length]);
  return `${prefix}${chars.join('')}`;
}

/** Characters per streamed token when a step streams at a token rate. */
const CHARS_PER_TOKEN = 4;

function errorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/** Splits `s` into about `n` pieces, as the API splits partial JSON and text across deltas. */
function splitInto(s: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(s.length / n));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/** The request's tool_choice name when it forces one tool, as the real API would call that tool. */
function toolNameFor(body: Record<string, unknown>): string {
  const choice = body.tool_choice;
  if (isRecord(choice) && choice.type === 'tool' && typeof choice.name === 'string') return choice.name;
  return DEFAULT_TOOL_NAME;
}

/** Models that refuse a forced tool_choice, as Claude Sonnet 5.5's breaking changes list it. */
const REFUSES_FORCED_TOOL_CHOICE = /^claude-sonnet-5-5/;

/** The 400s the real API gives for a body it cannot take; undefined when the body is fine. */
function requestProblem(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  const choice = body.tool_choice;
  if (
    REFUSES_FORCED_TOOL_CHOICE.test(body.model) &&
    isRecord(choice) &&
    (choice.type === 'tool' || choice.type === 'any')
  ) {
    return `tool_choice: forced tool use is not supported on ${body.model}; use tool_choice "auto" or "none"`;
  }
  const thinkingProblem = thinkingRequestProblem(body);
  if (thinkingProblem) return thinkingProblem;
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  for (const [i, tool] of tools.entries()) {
    if (tool.strict !== true) continue;
    const problem = strictSchemaProblem(tool.input_schema, `tools.${i}.input_schema`);
    if (problem) return problem;
  }
  return undefined;
}

/** Models of the adaptive generation: manual thinking budgets are refused, as the docs say. */
const ADAPTIVE_ONLY = /^claude-(sonnet|opus|fable|mythos)-5/;

/** What the API says to a thinking request it cannot take (extended and adaptive thinking docs). */
function thinkingRequestProblem(body: Record<string, unknown>): string | undefined {
  const thinking = body.thinking;
  const effort = isRecord(body.output_config) ? body.output_config.effort : undefined;
  if (effort !== undefined && !['low', 'medium', 'high', 'max'].includes(String(effort)))
    return 'output_config.effort: Input should be low, medium, high or max';
  if (effort === 'max' && !/opus/.test(String(body.model)))
    return `output_config.effort: max is not supported on ${String(body.model)}`;
  if (thinking === undefined) return undefined;
  if (!isRecord(thinking) || !['adaptive', 'enabled', 'disabled'].includes(String(thinking.type)))
    return 'thinking.type: Input should be adaptive, enabled or disabled';
  if (thinking.type === 'enabled') {
    if (ADAPTIVE_ONLY.test(String(body.model)))
      return `thinking.type: enabled is not supported on ${String(body.model)}; use thinking.type "adaptive" with output_config.effort`;
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) return 'thinking.budget_tokens: must be at least 1024';
    if (typeof body.max_tokens === 'number' && budget >= body.max_tokens)
      return '`max_tokens` must be greater than `thinking.budget_tokens`';
  }
  const choice = body.tool_choice;
  if (thinking.type !== 'disabled' && isRecord(choice) && (choice.type === 'tool' || choice.type === 'any'))
    return 'Thinking may not be enabled when tool_choice forces tool use.';
  return undefined;
}

/** Keywords strict tool use refuses (the documented JSON Schema limitations of structured outputs). */
const STRICT_UNSUPPORTED = [
  'minLength',
  'maxLength',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minProperties',
  'maxProperties',
];

/** Why a strict tool's schema would be refused: an object without additionalProperties: false, or a limit. */
function strictSchemaProblem(schema: unknown, path: string): string | undefined {
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) {
      const problem = strictSchemaProblem(s, `${path}.${i}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isRecord(schema)) return undefined;
  if (schema.type === 'object' && schema.additionalProperties !== false)
    return `${path}: strict tool use requires additionalProperties: false on every object`;
  for (const key of STRICT_UNSUPPORTED)
    if (key in schema) return `${path}.${key}: not supported with strict tool use`;
  if (typeof schema.minItems === 'number' && schema.minItems > 1)
    return `${path}.minItems: only 0 and 1 are supported with strict tool use`;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isRecord(value)) {
      for (const [name, s] of Object.entries(value)) {
        const problem = strictSchemaProblem(s, `${path}.properties.${name}`);
        if (problem) return problem;
      }
    } else if (typeof value === 'object') {
      const problem = strictSchemaProblem(value, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Writes one server-sent event exactly as the API frames it. */
function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Yields to the event loop so events leave as separate TCP writes, as a real stream's do. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AnthropicFake {
  /** What the SDK's `baseURL` and ANTHROPIC_BASE_URL take; the SDK appends /v1/messages. */
  readonly baseURL: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[] = [];
  readonly countTokensRequests: RecordedRequest[] = [];
  /** Sizes of the requests refused as over REQUEST_MAX_BYTES. */
  readonly oversized: number[] = [];
  /** Messages requests whose client hung up before the answer was complete (an aborted call). */
  hungUp = 0;

  private readonly script: FakeStep[] = [];
  private readonly delays = new Delays();
  /** Latency of every answer whose step sets none (benchmarks set a model latency this way). */
  private defaultLatencyMs = 0;
  /** How far the prompt cache's clock runs ahead of Date.now() (advanceClock). */
  private clockOffsetMs = 0;
  private readonly promptCache = new FakePromptCache(() => Date.now() + this.clockOffsetMs);

  private constructor(
    private readonly server: Server,
    port: number,
    apiKey: string,
  ) {
    this.baseURL = `http://127.0.0.1:${port}`;
    this.apiKey = apiKey;
  }

  static async start(opts: { apiKey?: string } = {}): Promise<AnthropicFake> {
    let fake: AnthropicFake | undefined;
    const server = createServer((req, res) => {
      // Requests only arrive after listen() resolved, so `fake` is set by then.
      fake?.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new AnthropicFake(server, (server.address() as AddressInfo).port, opts.apiKey ?? 'sk-ant-test');
    return fake;
  }

  /** Closes the server, dropping hanging and streaming connections. */
  async close(): Promise<void> {
    this.delays.cancelAll();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Scripts the answers to the next requests, one step per request, in order. */
  enqueue(...steps: FakeStep[]): void {
    this.script.push(...steps);
  }

  /** Steps still waiting for a request. */
  get queued(): number {
    return this.script.length;
  }

  lastRequest(): RecordedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  waitForRequests(n: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
    return waitUntil(() => this.requests.length >= n && [...this.requests], {
      timeoutMs,
      onTimeout: () =>
        `AnthropicFake.waitForRequests: wanted ${n} requests, got ${this.requests.length} in ${timeoutMs} ms`,
    });
  }

  /** Resolves once `n` requests were hung up on by their client before their answer was complete. */
  waitForHangUps(n: number, timeoutMs = 10_000): Promise<number> {
    return waitUntil(() => this.hungUp >= n && this.hungUp, {
      timeoutMs,
      onTimeout: () => `AnthropicFake.waitForHangUps: wanted ${n}, got ${this.hungUp} in ${timeoutMs} ms`,
    });
  }

  /** Delays every answer (scripted or default) whose step has no latencyMs of its own. */
  setDefaultLatency(ms: number): void {
    this.defaultLatencyMs = ms;
  }

  /** Forgets the script, the recorded requests and the prompt cache. */
  reset(): void {
    this.script.length = 0;
    this.requests.length = 0;
    this.countTokensRequests.length = 0;
    this.oversized.length = 0;
    this.hungUp = 0;
    this.promptCache.clear();
  }

  /** Empties the prompt cache, as if no request had been seen for over an hour. */
  clearPromptCache(): void {
    this.promptCache.clear();
  }

  /**
   * Moves the prompt cache's clock on by `ms`, so a test can send the next request "20 minutes later"
   * and see a 5-minute entry expired while an hour-long one is still read. Only the cache sees it.
   */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  // ---- HTTP ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomId('req_011');
    res.setHeader('request-id', requestId);
    const path = new URL(req.url ?? '/', this.baseURL).pathname;
    const raw = await readBody(req);
    const known = path === '/v1/messages' || path === '/v1/messages/count_tokens';
    if (req.method !== 'POST' || !known) {
      return this.sendError(res, 404, 'not_found_error', 'Not Found', requestId);
    }
    if (!this.authorized(req)) {
      return this.sendError(res, 401, 'authentication_error', 'invalid x-api-key', requestId);
    }
    const bytes = Buffer.byteLength(raw, 'utf8');
    if (bytes > REQUEST_MAX_BYTES) {
      // Recorded all the same, so a test can see the oversized request that was refused.
      this.oversized.push(bytes);
      return this.sendError(
        res,
        413,
        'request_too_large',
        DEFAULT_ERROR_MESSAGES.request_too_large ?? '',
        requestId,
      );
    }
    const body = parseObject(raw);
    if (!body) {
      const message = 'There was an error parsing the body of your request';
      return this.sendError(res, 400, 'invalid_request_error', message, requestId);
    }
    const recorded: RecordedRequest = {
      body,
      bytes,
      headers: flatHeaders(req),
      at: Date.now(),
      fieldsSentAt: {},
    };
    if (path === '/v1/messages/count_tokens') {
      this.countTokensRequests.push(recorded);
      return this.sendJson(res, 200, { input_tokens: estimateTokens(raw) });
    }
    const problem = requestProblem(body);
    if (problem) return this.sendError(res, 400, 'invalid_request_error', problem, requestId);
    this.requests.push(recorded);
    res.once('close', () => {
      if (!res.writableFinished) this.hungUp += 1;
    });
    await this.play(this.script.shift() ?? { kind: 'review' }, recorded, req, res);
  }

  /**
   * The real API takes the key as x-api-key or as a bearer token; SDK 1.x sends
   * `Authorization: Bearer <apiKey>`, older SDKs and curl examples send x-api-key.
   */
  private authorized(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return req.headers['x-api-key'] === this.apiKey || bearer === this.apiKey;
  }

  private async play(
    step: FakeStep,
    recorded: RecordedRequest,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const body = recorded.body;
    const streaming = body.stream === true;
    switch (step.kind) {
      case 'hang':
        // Never answered; close() tears the connection down.
        return;
      case 'dropMidStream':
        if (streaming) return this.streamThenDrop(body, req, res);
        req.socket.destroy();
        return;
      case 'stallMidStream':
        // Without streaming there is nothing to start: the request just hangs; close() tears it down.
        if (streaming) return this.streamThenStall(body, res);
        return;
      case 'error':
        await this.delays.wait(step.latencyMs ?? this.defaultLatencyMs);
        return this.sendScriptedError(res, step);
      default: {
        const breakpoints = FakePromptCache.breakpoints(body);
        if (breakpoints > MAX_BREAKPOINTS) {
          const message = `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`;
          return this.sendError(
            res,
            400,
            'invalid_request_error',
            message,
            String(res.getHeader('request-id')),
          );
        }
        await this.delays.wait(step.latencyMs ?? this.defaultLatencyMs);
        const reply = this.replyFor(step, body);
        recorded.usage = reply.usage;
        if (streaming) return this.stream(res, recorded, reply, step);
        return this.sendJson(res, 200, this.message(body, reply));
      }
    }
  }

  private replyFor(
    step: Extract<FakeStep, { kind: 'review' | 'toolInput' | 'text' }>,
    body: Record<string, unknown>,
  ): Reply {
    const offered = Array.isArray(body.tools) ? body.tools.flatMap((t) => (isRecord(t) ? [t.name] : [])) : [];
    if (step.kind === 'toolInput' && step.tool && !offered.includes(step.tool))
      throw new Error(
        `the script calls ${step.tool}, which the request did not offer (${offered.join(', ')})`,
      );
    const block: ContentBlock =
      step.kind === 'text'
        ? { type: 'text', text: step.text }
        : {
            type: 'tool_use',
            id: randomId('toolu_01'),
            name: step.kind === 'toolInput' && step.tool ? step.tool : toolNameFor(body),
            input: step.kind === 'review' ? (step.review ?? sampleReview()) : step.input,
          };
    const output = block.type === 'text' ? block.text : JSON.stringify(block.input ?? {});
    const usage: Usage = {
      ...this.promptCache.usageOf(body),
      output_tokens: estimateTokens(output),
      ...step.usage,
    };
    const thinks = isRecord(body.thinking) && body.thinking.type !== 'disabled';
    if (!thinks) return { block, stopReason: block.type === 'text' ? 'end_turn' : 'tool_use', usage };
    const thinkingTokens = step.thinkingTokens ?? 400;
    const thinking = 'Weighing the findings against the design before the verdict. '
      .repeat(Math.ceil((thinkingTokens * CHARS_PER_TOKEN) / 60))
      .slice(0, thinkingTokens * CHARS_PER_TOKEN);
    return {
      thinking: { type: 'thinking', thinking, signature: randomId('sig_') },
      block,
      stopReason: block.type === 'text' ? 'end_turn' : 'tool_use',
      usage: { ...usage, output_tokens: usage.output_tokens + thinkingTokens },
    };
  }

  private message(body: Record<string, unknown>, reply: Reply): Record<string, unknown> {
    return {
      id: randomId('msg_01'),
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: reply.thinking ? [reply.thinking, reply.block] : [reply.block],
      stop_reason: reply.stopReason,
      stop_sequence: null,
      usage: reply.usage,
    };
  }

  /** The SSE sequence the API sends: message_start, one content block in deltas, message_delta, stop. */
  private async stream(
    res: ServerResponse,
    recorded: RecordedRequest,
    reply: Reply,
    pacing: Pick<Answer, 'deltaDelayMs' | 'tokensPerSec'>,
  ): Promise<void> {
    this.startStream(res, recorded.body, reply);
    await tick();
    sse(res, 'ping', { type: 'ping' });
    const index = reply.thinking ? 1 : 0;
    if (reply.thinking) {
      await this.streamThinking(res, reply.thinking, pacing);
      this.startBlock(res, index, reply);
    }
    const fieldEnds = reply.block.type === 'tool_use' ? fieldEndsOf(reply.block.input) : [];
    let sentChars = 0;
    const send = (piece: string) => {
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: deltaOf(reply.block, piece),
      });
      sentChars += piece.length;
      while (fieldEnds[0] && fieldEnds[0].end <= sentChars) {
        recorded.fieldsSentAt[fieldEnds[0].field] = Date.now();
        fieldEnds.shift();
      }
    };
    // Like the API, tool input starts with an empty partial_json.
    if (reply.block.type === 'tool_use') send('');
    const content = contentOf(reply.block);
    if (pacing.tokensPerSec) {
      await this.sendAtRate(res, splitEvery(content, CHARS_PER_TOKEN), pacing.tokensPerSec, send);
    } else {
      const delay = pacing.deltaDelayMs ?? 0;
      for (const piece of splitInto(content, STREAM_CHUNKS)) {
        send(piece);
        await (delay > 0 ? this.delays.wait(delay) : tick());
      }
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    sse(res, 'message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: { output_tokens: reply.usage.output_tokens },
    });
    sse(res, 'message_stop', { type: 'message_stop' });
    res.end();
  }

  /**
   * Sends `tokens` at `perSec`, each when it falls due by the clock (so timer lateness does not add
   * up); tokens that fall due together leave in one delta, as the API batches them.
   */
  private async sendAtRate(
    res: ServerResponse,
    tokens: string[],
    perSec: number,
    send: (piece: string) => void,
  ): Promise<void> {
    const start = Date.now();
    let next = 0;
    while (next < tokens.length && !res.destroyed) {
      const due = Math.min(tokens.length, Math.floor(((Date.now() - start) * perSec) / 1000) + 1);
      if (due > next) {
        send(tokens.slice(next, due).join(''));
        next = due;
      }
      const wait = start + (next * 1000) / perSec - Date.now();
      await (wait > 0 ? this.delays.wait(wait) : tick());
    }
  }

  /** Headers, message_start and content_block_start: what every stream begins with. */
  private startStream(res: ServerResponse, body: Record<string, unknown>, reply: Reply): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const message = this.message(body, reply);
    const usage = { ...reply.usage, output_tokens: 1 };
    sse(res, 'message_start', { type: 'message_start', message: { ...message, content: [], usage } });
    if (!reply.thinking) this.startBlock(res, 0, reply);
  }

  private startBlock(res: ServerResponse, index: number, reply: Reply): void {
    sse(res, 'content_block_start', {
      type: 'content_block_start',
      index,
      content_block: reply.block.type === 'text' ? { type: 'text', text: '' } : { ...reply.block, input: {} },
    });
  }

  /** The thinking block as the API streams it: thinking_delta pieces, then its signature_delta. */
  private async streamThinking(
    res: ServerResponse,
    thinking: NonNullable<Reply['thinking']>,
    pacing: Pick<Answer, 'deltaDelayMs' | 'tokensPerSec'>,
  ): Promise<void> {
    sse(res, 'content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    const send = (piece: string) =>
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: piece },
      });
    if (pacing.tokensPerSec)
      await this.sendAtRate(res, splitEvery(thinking.thinking, CHARS_PER_TOKEN), pacing.tokensPerSec, send);
    else for (const piece of splitInto(thinking.thinking, STREAM_CHUNKS)) send(piece);
    sse(res, 'content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: thinking.signature },
    });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  }

  /** Sends the start of a stream and a first delta, then cuts the connection as a network failure would. */
  private async streamThenDrop(
    body: Record<string, unknown>,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const reply = this.replyFor({ kind: 'review' }, body);
    this.startStream(res, body, reply);
    const [first] = deltasOf(reply.block).slice(1);
    await new Promise<void>((resolve) => {
      res.write(
        `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: first })}\n\n`,
        () => resolve(),
      );
    });
    // Let the bytes reach the client before the reset, so it fails mid-stream rather than before it.
    await this.delays.wait(20);
    req.socket.destroy();
  }

  /** Sends the start of a stream and a first delta, then nothing more; the connection stays open. */
  private streamThenStall(body: Record<string, unknown>, res: ServerResponse): void {
    const reply = this.replyFor({ kind: 'review' }, body);
    this.startStream(res, body, reply);
    const [first] = deltasOf(reply.block).slice(1);
    sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: first });
  }

  private sendScriptedError(res: ServerResponse, step: Extract<FakeStep, { kind: 'error' }>): void {
    const headers: Record<string, string> = {};
    if (step.retryAfterSec !== undefined) {
      headers['retry-after'] = String(step.retryAfterSec);
      headers['retry-after-ms'] = String(step.retryAfterSec * 1000);
    }
    if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
    const message = step.message ?? DEFAULT_ERROR_MESSAGES[step.type] ?? 'Error';
    const requestId = String(res.getHeader('request-id'));
    res.writeHead(step.status, { 'content-type': 'application/json', ...headers });
    res.end(errorBody(step.type, message, requestId));
  }

  private sendError(res: ServerResponse, status: number, type: string, message: string, requestId: string) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(errorBody(type, message, requestId));
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** What a content block streams: its text, or its tool input as JSON. */
function contentOf(block: ContentBlock): string {
  return block.type === 'text' ? block.text : JSON.stringify(block.input ?? {});
}

function deltaOf(block: ContentBlock, piece: string): Record<string, unknown> {
  return block.type === 'text'
    ? { type: 'text_delta', text: piece }
    : { type: 'input_json_delta', partial_json: piece };
}

/** The deltas of one content block; like the API, tool input starts with an empty partial_json. */
function deltasOf(block: ContentBlock): Record<string, unknown>[] {
  const pieces = splitInto(contentOf(block), STREAM_CHUNKS);
  return (block.type === 'text' ? pieces : ['', ...pieces]).map((piece) => deltaOf(block, piece));
}

/** `s` in pieces of `size` characters (the last may be shorter). */
function splitEvery(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/**
 * Where each top-level field of `input` ends in its JSON, in order: JSON.stringify of the first k
 * fields is, but for its closing brace, the start of the whole object's JSON.
 */
function fieldEndsOf(input: unknown): { field: string; end: number }[] {
  if (!isRecord(input)) return [];
  const entries = Object.entries(input).filter(([, v]) => v !== undefined);
  return entries.map(([field], i) => ({
    field,
    end: JSON.stringify(Object.fromEntries(entries.slice(0, i + 1))).length - 1,
  }));
}
