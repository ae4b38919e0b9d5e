import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../../lib/error-message';
import type { Logger } from '../../logger';
import { neutraliseMarkdown } from '../../rendering/slack-text';
import { TrackedMessage } from './tracked-message';

/**
 * The text before a Markdown link still being written: its label is checked only once its target is
 * known, and what was streamed must stay a prefix of what follows.
 */
function withoutOpenLink(text: string): string {
  const open = text.lastIndexOf('[');
  if (open === -1 || text.length - open > 500) return text;
  return /^\[[^\]\n]*\]\([^)\s]*\)/.test(text.slice(open)) ? text : text.slice(0, open);
}

/** Slack's limit on one markdown_text of the streaming methods; a longer summary is streamed up to it. */
const STREAM_TEXT_LIMIT = 12_000;

/**
 * Slack ends a stream that received nothing for about five minutes (`message_not_in_streaming_state`).
 * A stream idle for this long is stopped first, keeping what it shows; should the summary grow after
 * that, the progress falls back to updates of the placeholder.
 */
export const DEFAULT_STREAM_IDLE_MS = 4 * 60 * 1000;

type State = 'ready' | 'streaming' | 'stopped' | 'gone';

/**
 * Streams the review's summary, as Claude writes it, into a reply of its own in the request's thread
 * with Slack's native streaming (chat.startStream, chat.appendStream with only the new text,
 * chat.stopStream). The reply is progress, never the review: `discard()` deletes it once the review
 * (or the failure message) has replaced the placeholder. Any streaming error deletes it too and
 * `show()` answers false from then on, so the caller shows the summary through chat.update instead.
 */
export class SummaryStream {
  private state: State = 'ready';
  private readonly message: TrackedMessage;
  /** The markdown Slack has received so far. */
  private sent = '';
  private idleTimer: NodeJS.Timeout | undefined;
  /** Slack calls one at a time, in order (the idle guard runs beside the progress reports). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly opts: {
      slack: WebClient;
      channel: string;
      threadTs: string;
      /** Who asked and their workspace: Slack needs both to stream in a channel. */
      recipientUserId: string;
      recipientTeamId: string;
      log: Logger;
      /**
       * Told the streamed reply's ts once it exists and undefined once it is deleted, so that a job
       * retried after a crash can delete a reply its earlier attempt left behind.
       */
      onMessage?: (ts: string | undefined) => Promise<void>;
      idleMs?: number;
    },
  ) {
    this.message = new TrackedMessage(opts, {
      delete: 'could not delete the streamed summary',
      record: 'could not record the streamed summary in the job',
    });
  }

  /** Whether the summary can still be streamed (nothing has failed, nothing was discarded). */
  get usable(): boolean {
    return this.state !== 'gone';
  }

  /** Whether the streamed reply exists yet. */
  get started(): boolean {
    return this.message.ts !== undefined;
  }

  /**
   * Streams `summary` (the whole summary so far; only what is new is sent). `done` says Claude has
   * moved past the summary, which stops the stream. False when streaming is unavailable: the caller
   * shows the summary another way.
   */
  show(summary: string, done: boolean): Promise<boolean> {
    // Neutralised so model text cannot ping; a trailing '<' waits for the next character, so what was
    // already streamed stays a prefix of what follows.
    const safe = neutraliseMarkdown(done ? summary : withoutOpenLink(summary.replace(/<$/, '')));
    return this.serial(() => this.showNow(safe.slice(0, STREAM_TEXT_LIMIT), done));
  }

  /** Stops the stream if it still runs; the reply keeps what it shows until `discard()`. */
  stop(): Promise<void> {
    return this.serial(() => this.stopNow());
  }

  /** Stops streaming for good and deletes the streamed reply. */
  discard(): Promise<void> {
    return this.serial(() => this.discardNow());
  }

  private async showNow(summary: string, done: boolean): Promise<boolean> {
    if (this.state === 'gone') return false;
    try {
      if (this.state === 'ready') {
        if (summary.trim() === '') return true;
        await this.start(summary);
      } else if (summary.startsWith(this.sent)) {
        const added = summary.slice(this.sent.length);
        if (added !== '') {
          // A stopped stream cannot take more text: the placeholder takes over.
          if (this.state !== 'streaming') throw new Error('the summary grew after its stream was stopped');
          await this.opts.slack.chat.appendStream({
            channel: this.opts.channel,
            ts: this.message.ts ?? '',
            markdown_text: added,
          });
          this.sent = summary;
          this.touch();
        }
      } else if (!this.sent.startsWith(summary)) {
        // A repaired or retried answer wrote a different summary; a stream can only grow.
        throw new Error('the summary changed after it was streamed');
      }
      if (done) await this.stopNow();
      return true;
    } catch (error) {
      this.opts.log.info(
        { err: errorMessage(error) },
        'streaming the summary failed; the placeholder shows it instead',
      );
      await this.discardNow();
      return false;
    }
  }

  private async start(summary: string): Promise<void> {
    const res = await this.opts.slack.chat.startStream({
      channel: this.opts.channel,
      thread_ts: this.opts.threadTs,
      recipient_user_id: this.opts.recipientUserId,
      recipient_team_id: this.opts.recipientTeamId,
      markdown_text: summary,
    });
    if (!res.ts) throw new Error('chat.startStream answered without a ts');
    this.sent = summary;
    this.state = 'streaming';
    this.touch();
    await this.message.record(res.ts);
  }

  private async stopNow(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.state !== 'streaming') return;
    this.state = 'stopped';
    await this.opts.slack.chat
      .stopStream({ channel: this.opts.channel, ts: this.message.ts ?? '' })
      .catch((error: unknown) =>
        this.opts.log.debug({ err: errorMessage(error) }, 'could not stop the summary stream'),
      );
  }

  private async discardNow(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.state = 'gone';
    await this.message.delete();
  }

  /** Restarts the idle guard: a stream about to idle out is stopped before Slack kills it. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      void this.stop();
    }, this.opts.idleMs ?? DEFAULT_STREAM_IDLE_MS);
    this.idleTimer.unref();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * A top-level string field (the reply's TL;DR) as far as Claude has written it, read from the tool
 * input's raw JSON so far: `complete` once its closing quote has arrived. Undefined until it has begun.
 * (The SDK's parsed partial input leaves a string out until it is complete, so it cannot show one growing.)
 */
export function fieldInPartialJson(
  json: string,
  field: string,
): { text: string; complete: boolean } | undefined {
  let depth = 0;
  let expectingKey = false;
  let key: string | undefined;
  for (let i = 0; i < json.length; ) {
    const c = json[i];
    if (c === '"') {
      const read = readJsonString(json, i);
      if (depth === 1 && expectingKey) {
        key = read.value;
        expectingKey = false;
      } else if (depth === 1 && key === field) {
        return { text: read.value, complete: read.complete };
      }
      i = read.end;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectingKey = c === '{';
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectingKey = true;
      key = undefined;
    }
    i++;
  }
  return undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

/** Decodes the JSON string that opens at `start`, as far as it goes; an escape cut short is left out. */
function readJsonString(json: string, start: number): { value: string; end: number; complete: boolean } {
  let value = '';
  let i = start + 1;
  while (i < json.length) {
    const c = json[i] as string;
    if (c === '"') return { value, end: i + 1, complete: true };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const escaped = json[i + 1];
    if (escaped === undefined) break;
    if (escaped === 'u') {
      const hex = json.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    value += ESCAPES[escaped] ?? escaped;
    i += 2;
  }
  // Half a surrogate pair cannot be sent (nor URL-encoded): it waits for its other half.
  if (/[\ud800-\udbff]$/.test(value)) value = value.slice(0, -1);
  return { value, end: json.length, complete: false };
}

/** The reply's TL;DR as far as Claude has written it. */
export const tldrInPartialJson = (json: string) => fieldInPartialJson(json, 'tldr');
