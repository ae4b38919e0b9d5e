import type { WebClient } from '@slack/web-api';
import { ErrorCode, isCodedError } from '../../errors';
import { errorMessage } from '../../lib/error-message';
import type { Logger } from '../../logger';
import { type Progress, renderProgress } from '../../rendering/progress-message';
import { atPriority, type CallPriority } from '../../slack/call-priority';
import type { SummaryStream } from './summary-stream';

/** One placeholder update a second at most: chat.update is rate-limited per workspace. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 1000;

const PHASE_ORDER: Record<Progress['phase'], number> = { reading: 1, thinking: 2, writing: 3 };

/**
 * Keeps the placeholder telling the user what is happening (reading → thinking → writing), with at
 * most one chat.update per interval. Reports in between coalesce into the latest; phases never go
 * back; updates are sent one at a time, in order, and the next one waits a full interval after the
 * previous one has finished, so Slack sees them spaced by at least the interval.
 *
 * Two exceptions, for what a person waits for: the first output (the verdict and headline) is sent
 * the moment Claude has written it, not at the next tick, and an update still waiting for the
 * workspace's Slack budget is dropped unsent when the first output or the end replaces it.
 */
export class ProgressReporter {
  private latest: Progress | undefined;
  private rank = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  /** Aborts the update on its way while it still waits for budget. */
  private pending: AbortController | undefined;
  private lastDoneAt = Number.NEGATIVE_INFINITY;
  private urgent = false;
  private firstOutputSent = false;
  private closed = false;

  constructor(
    private readonly opts: {
      slack: WebClient;
      channel: string;
      placeholderTs: string;
      agentName: string;
      intervalMs: number;
      log: Logger;
      /** Streams the summary natively while Claude writes it; the placeholder shows it when absent or failed. */
      stream?: SummaryStream;
    },
  ) {}

  /** Records what the consultation is doing now; the placeholder shows it within the interval. */
  report(progress: Progress): void {
    const rank = PHASE_ORDER[progress.phase];
    if (this.closed || rank < this.rank) return;
    this.rank = rank;
    this.latest = progress;
    if (!this.firstOutputSent && isFirstOutput(progress)) this.urgent = true;
    // The verdict must not wait behind an older state: that one, if still waiting for budget, goes unsent.
    if (this.urgent) this.pending?.abort();
    if (this.urgent && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.schedule();
  }

  /**
   * Stops reporting and waits for an update already on its way (one still waiting for budget is
   * dropped), so nothing overwrites the final review (or the failure message) that replaces the
   * placeholder next.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending?.abort();
    await this.sending;
    await this.opts.stream?.stop();
  }

  private schedule(): void {
    if (this.timer || this.sending) return;
    const wait = this.urgent ? 0 : Math.max(0, this.lastDoneAt + this.opts.intervalMs - Date.now());
    // Sent at once when the interval allows, so a phase that ends quickly is still seen.
    if (wait === 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const progress = this.latest;
    this.latest = undefined;
    if (!progress || this.closed) return;
    const firstOutput = this.urgent;
    this.urgent = false;
    if (firstOutput) this.firstOutputSent = true;
    const pending = new AbortController();
    this.pending = pending;
    this.sending = this.send(progress, firstOutput ? 'first_output' : 'progress', pending.signal).finally(
      () => {
        this.sending = undefined;
        this.pending = undefined;
        this.lastDoneAt = Date.now();
        if (this.latest && !this.closed) this.schedule();
      },
    );
  }

  private async send(progress: Progress, priority: CallPriority, signal: AbortSignal): Promise<void> {
    const stream = this.opts.stream;
    if (progress.phase === 'writing' && stream?.usable && (stream.started || progress.summary?.trim())) {
      // The streamed reply below the placeholder shows the summary (the verdict first, at once); the
      // placeholder then says the agent is writing.
      const wasStarted = stream.started;
      const shown = await atPriority(priority, () =>
        stream.show(progress.summary ?? '', progress.summaryDone === true),
      );
      if (shown) {
        if (!wasStarted && stream.started) await this.update({ phase: 'writing' }, 'progress', signal);
        return;
      }
    }
    await this.update(progress, priority, signal);
  }

  private async update(progress: Progress, priority: CallPriority, signal: AbortSignal): Promise<void> {
    const message = renderProgress(this.opts.agentName, progress);
    await atPriority(
      priority,
      () =>
        this.opts.slack.chat.update({
          channel: this.opts.channel,
          ts: this.opts.placeholderTs,
          text: message.text,
          blocks: message.blocks,
        }),
      { signal },
    ).catch((error: unknown) => {
      if (isCodedError(error, ErrorCode.SlackCallDropped)) return;
      this.opts.log.debug({ err: errorMessage(error) }, 'could not update the progress');
    });
  }
}

/** The verdict and headline, the first thing of the review a person sees. */
function isFirstOutput(progress: Progress): boolean {
  return progress.phase === 'writing' && (progress.summary ?? '').trim() !== '';
}

/** The TL;DR in a partially streamed reply (the tool input parsed so far), when it has begun. */
export function tldrOf(partial: unknown): string | undefined {
  if (typeof partial !== 'object' || partial === null || !('tldr' in partial)) return undefined;
  return typeof partial.tldr === 'string' ? partial.tldr : undefined;
}
