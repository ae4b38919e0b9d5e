import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { type Review, ReviewSchema } from '../domain/review';
import { ReviewDeltaSchema } from '../domain/review-delta';
import { CodedError, ErrorCode } from '../errors';
import { REVIEW_DELTA_TOOL_NAME, REVIEW_TOOL_NAME } from './prompt';
import { strictSchema } from './strict-schema';

/** Token counts Claude reports for one consultation, summed over its calls. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ConsultationOutcome<Reply = Review> {
  review: Reply;
  /** The tool Claude answered with (one of those the request accepts). */
  tool: string;
  model: string;
  usage: TokenUsage;
  /** Calls made: 1, or 2 when the first output needed a repair. */
  calls: number;
}

/** Why a consultation failed, in words a Slack user can act on. Never carries secrets or thread text. */
export type ConsultationErrorCode =
  | typeof ErrorCode.ClaudeRejected
  | typeof ErrorCode.ClaudeAuth
  | typeof ErrorCode.ClaudeUnavailable
  | typeof ErrorCode.ClaudeRateLimited
  | typeof ErrorCode.InvalidOutput
  | typeof ErrorCode.BudgetSpent;

export class ConsultationError extends CodedError<ConsultationErrorCode> {
  /** Tokens Claude billed before the consultation failed (broken streams, a repair that failed). */
  usage: TokenUsage = emptyUsage();

  constructor(
    code: ConsultationErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(code, userMessage, options);
  }
}

export const emptyUsage = (): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

/** The tool Claude answers with and the schema its input must match. */
export interface ReplyTool<Reply> {
  definition: Anthropic.Tool;
  schema: z.ZodType<Reply>;
}

/**
 * A tool whose input schema is generated from `schema`, so the two can never disagree. Declared strict:
 * the API then samples only input that matches the schema (Anthropic recommends it where a forced
 * tool_choice is refused, as by Claude Sonnet 5.5), which leaves the repair turn a rare fallback.
 */
export function replyTool<Reply>(
  name: string,
  description: string,
  schema: z.ZodType<Reply>,
): ReplyTool<Reply> {
  const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
  const input_schema = strictSchema(inputSchema) as Anthropic.Tool.InputSchema;
  return { definition: { name, description, input_schema, strict: true }, schema };
}

export const REVIEW_TOOL = replyTool(
  REVIEW_TOOL_NAME,
  'Submit the complete architecture review. Call exactly once.',
  ReviewSchema,
);

/** A follow-up to the bot's own review: Claude writes what changed, the bot merges it (review-delta.ts). */
export const DELTA_TOOL = replyTool(
  REVIEW_DELTA_TOOL_NAME,
  'Submit only what changed since your previous review in this thread, when the request asks for it. Call exactly once.',
  ReviewDeltaSchema,
);

/**
 * Every request offers both reply tools, whichever it expects: tools come first in the prompt cache's
 * prefix, so a follow-up that offered other tools would miss the cache its review wrote.
 */
const REPLY_TOOLS = [REVIEW_TOOL.definition, DELTA_TOOL.definition];

/**
 * Asks Claude for a structured review. The SDK owns retries of failed requests (429, 529, 5xx,
 * connection errors, with backoff and Retry-After); this layer owns the single repair attempt when
 * the output does not match the review schema.
 */
export class ClaudeConsultant {
  constructor(
    private readonly client: Anthropic,
    private readonly options: {
      maxTokens: number;
      /**
       * Adaptive thinking before the reply, at this effort: the verdict is the first field Claude writes,
       * so thinking is where it weighs the findings before committing to one. `off` by default.
       */
      thinking?: 'off' | 'low' | 'medium' | 'high';
      /** Retries of a response that broke off after it started; the SDK retries only before that. */
      streamRetries: number;
      /** A started stream that sends nothing for this long is treated as broken. */
      idleTimeoutMs: number;
    },
  ) {}

  async consult<Reply = Review>(params: {
    model: string;
    /**
     * The tools whose answer is accepted, the expected one first: by default the full review's. A
     * follow-up expects only what changed, and still takes a full review from a model that wrote one.
     */
    accept?: readonly ReplyTool<Reply>[];
    system: Anthropic.TextBlockParam[];
    messages: Anthropic.MessageParam[];
    /** Aborts the consultation (the worker is stopping); the error is then not a consultation failure. */
    signal?: AbortSignal;
    /**
     * Called as the review streams in, with the tool input parsed so far (for live progress) and its raw
     * JSON so far, which also holds the string being written (the parsed input leaves it out until it ends).
     */
    onPartialReview?: (partial: unknown, json: string) => void;
  }): Promise<ConsultationOutcome<Reply>> {
    const usage = emptyUsage();
    // Every token billed counts, also those of attempts that fail: they are on the invoice too.
    const spent = (u: Anthropic.Usage) => addUsage(usage, u);
    try {
      // Without tools of its own, Reply is the default Review, which is what REVIEW_TOOL parses.
      const accept = params.accept ?? [REVIEW_TOOL as unknown as ReplyTool<Reply>];
      return await this.consultWithRepair(params, accept, spent, usage);
    } catch (error) {
      if (error instanceof ConsultationError) error.usage = usage;
      throw error;
    }
  }

  private async consultWithRepair<Reply>(
    params: Parameters<ClaudeConsultant['consult']>[0],
    accept: readonly ReplyTool<Reply>[],
    spent: (u: Anthropic.Usage) => void,
    usage: TokenUsage,
  ): Promise<ConsultationOutcome<Reply>> {
    let messages = params.messages;
    const expected = accept[0];
    if (!expected) throw new Error('consult needs at least one tool to accept');
    for (let call = 1; call <= 2; call++) {
      const response = await this.call(
        params.model,
        params.system,
        messages,
        params.signal,
        spent,
        params.onPartialReview,
      );
      spent(response.usage);
      const toolUse = response.content.find(
        (b): b is Anthropic.ToolUseBlock =>
          b.type === 'tool_use' && accept.some((t) => t.definition.name === b.name),
      );
      const tool = accept.find((t) => t.definition.name === toolUse?.name) ?? expected;
      const parsed = tool.schema.safeParse(toolUse?.input);
      if (parsed.success)
        return { review: parsed.data, tool: tool.definition.name, model: response.model, usage, calls: call };
      if (response.stop_reason === 'refusal') break;
      messages = [
        ...messages,
        { role: 'assistant', content: response.content },
        repairTurn(tool.definition.name, toolUse, parsed.error),
      ];
    }
    throw new ConsultationError(
      ErrorCode.InvalidOutput,
      'Claude answered, but not in the review format, even after being asked to correct it.',
    );
  }

  private async call(
    model: string,
    system: Anthropic.TextBlockParam[],
    messages: Anthropic.MessageParam[],
    signal: AbortSignal | undefined,
    spent: (u: Anthropic.Usage) => void,
    onPartialReview?: (partial: unknown, json: string) => void,
  ): Promise<Anthropic.Message> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.streamOnce(model, system, messages, signal, onPartialReview);
      if (result.ok) return result.message;
      // A stream that broke off was billed for what it read and wrote before it broke.
      if (result.partialUsage) spent(result.partialUsage);
      if (signal?.aborted) throw result.error;
      if (!result.brokeMidStream || attempt >= this.options.streamRetries)
        throw result.brokeMidStream ? brokenStreamError(result.error) : toConsultationError(result.error);
      await sleep(Math.min(500 * 2 ** attempt, 4000));
    }
  }

  /**
   * One streamed request. Streaming keeps long generations within the SDK's non-streaming limits; an
   * idle timer catches a stream that went silent, which the SDK's request timeout does not cover.
   */
  private async streamOnce(
    model: string,
    system: Anthropic.TextBlockParam[],
    messages: Anthropic.MessageParam[],
    signal: AbortSignal | undefined,
    onPartialReview?: (partial: unknown, json: string) => void,
  ): Promise<
    | { ok: true; message: Anthropic.Message }
    | { ok: false; error: unknown; brokeMidStream: boolean; partialUsage: Anthropic.Usage | undefined }
  > {
    const controller = new AbortController();
    const forwardAbort = () => controller.abort();
    signal?.addEventListener('abort', forwardAbort);
    let started = false;
    let idled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idled = true;
        controller.abort();
      }, this.options.idleTimeoutMs);
    };
    let usageSoFar: () => Anthropic.Usage | undefined = () => undefined;
    try {
      const stream = this.client.messages.stream(
        {
          model,
          max_tokens: this.options.maxTokens,
          system,
          messages,
          tools: REPLY_TOOLS,
          ...thinkingParams(this.options.thinking),
          // Not forced: Claude Sonnet 5.5 answers a forced tool_choice ("tool" or "any") with a 400. The
          // prompt asks for the tool, and an answer without it gets the one repair turn.
          tool_choice: { type: 'auto' },
        },
        { signal: controller.signal },
      );
      usageSoFar = () => stream.currentMessage?.usage;
      stream.on('connect', () => {
        started = true;
        touch();
      });
      stream.on('streamEvent', touch);
      if (onPartialReview) {
        let json = '';
        stream.on('inputJson', (delta, snapshot) => {
          json += delta;
          onPartialReview(snapshot, json);
        });
      }
      return { ok: true, message: await stream.finalMessage() };
    } catch (error) {
      const cause = idled
        ? new Anthropic.APIConnectionTimeoutError({ message: 'Claude stopped sending mid-answer' })
        : error;
      return { ok: false, error: cause, brokeMidStream: started, partialUsage: usageSoFar() };
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener('abort', forwardAbort);
    }
  }
}

/** The request fields for adaptive thinking at an effort; none when it is off. */
function thinkingParams(
  effort: 'off' | 'low' | 'medium' | 'high' | undefined,
): Pick<Anthropic.MessageStreamParams, 'thinking' | 'output_config'> {
  if (!effort || effort === 'off') return {};
  return { thinking: { type: 'adaptive' }, output_config: { effort } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An answer that kept breaking off: the SDK reports a cut connection as a bare AnthropicError
 * ("terminated"), which would otherwise reach the user as "something went wrong".
 */
function brokenStreamError(error: unknown): ConsultationError {
  if (error instanceof Anthropic.APIError) return toConsultationError(error);
  return new ConsultationError(
    ErrorCode.ClaudeUnavailable,
    'Claude’s answer kept breaking off, even after retrying. Try again in a moment.',
    { cause: error },
  );
}

/** The user turn that asks Claude once to correct output that failed validation. */
function repairTurn(
  name: string,
  toolUse: Anthropic.ToolUseBlock | undefined,
  error: z.ZodError,
): Anthropic.MessageParam {
  const ask = `Call ${name} again with the complete, corrected input.`;
  if (!toolUse) return { role: 'user', content: `You must answer with the ${name} tool. ${ask}` };
  // The API requires a tool_result for every tool_use it sent; the error result carries the problems.
  return {
    role: 'user',
    content: [
      {
        type: 'tool_result',
        tool_use_id: toolUse.id,
        is_error: true,
        content: `The review did not match the required schema:\n${z.prettifyError(error)}\n${ask}`,
      },
    ],
  };
}

function addUsage(total: TokenUsage, usage: Anthropic.Usage): void {
  total.inputTokens += usage.input_tokens ?? 0;
  total.outputTokens += usage.output_tokens ?? 0;
  total.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
  total.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
}

/** Maps SDK errors (after the SDK's own retries) to what the user is told. */
export function toConsultationError(error: unknown): ConsultationError {
  if (error instanceof ConsultationError) return error;
  if (error instanceof Anthropic.AuthenticationError || error instanceof Anthropic.PermissionDeniedError) {
    return new ConsultationError(
      ErrorCode.ClaudeAuth,
      'Claude refused the bot’s credentials. An admin needs to check the ANTHROPIC_API_KEY setting.',
      { cause: error },
    );
  }
  if (error instanceof Anthropic.RateLimitError) {
    return new ConsultationError(
      ErrorCode.ClaudeRateLimited,
      'Claude is rate-limiting this workspace’s requests right now. Try again in a minute.',
      { cause: error },
    );
  }
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ConsultationError(
      ErrorCode.ClaudeUnavailable,
      'Claude took too long to answer. Try again in a moment.',
      {
        cause: error,
      },
    );
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return new ConsultationError(
      ErrorCode.ClaudeUnavailable,
      'The bot could not reach Claude. Try again in a moment.',
      {
        cause: error,
      },
    );
  }
  if (
    error instanceof Anthropic.APIError &&
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500
  ) {
    const detail = error.apiMessage ? ` (${error.apiMessage})` : '';
    return new ConsultationError(
      ErrorCode.ClaudeRejected,
      `Claude could not process this request${detail}.`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof Anthropic.APIError) {
    const what = error.status === 529 ? 'Claude is overloaded right now' : 'Claude had an internal error';
    return new ConsultationError(
      ErrorCode.ClaudeUnavailable,
      `${what}, even after retrying. Try again in a few minutes.`,
      {
        cause: error,
      },
    );
  }
  return new ConsultationError(
    ErrorCode.ClaudeUnavailable,
    'Something went wrong while talking to Claude. Try again.',
    {
      cause: error,
    },
  );
}
