import type { SlackApiFake } from '../test/fakes/slack-api-fake';

/** What the fake saw of one consultation (one channel), as arrival times of the Slack calls. */
export interface ConsultationProgress {
  /** The first chat.postMessage in a thread: the placeholder ("… is reviewing…"). */
  placeholderAt?: number;
  /** The chat.update that replaced the placeholder with the review (or with an error). */
  finishedAt?: number;
  failed?: boolean;
  /**
   * The first Slack call that showed the verdict's label (a placeholder update, a streamed message
   * or the reply itself): when the verdict became visible in the thread. Tracked when a label is given.
   */
  verdictVisibleAt?: number;
}

/**
 * Follows consultations through the Slack fake's call log. It reads only the calls added since the
 * last look, so waiting on thousands of consultations does not itself eat the CPU being measured.
 */
export class ConsultationTracker {
  private cursor = 0;
  private readonly progress = new Map<string, ConsultationProgress>();

  constructor(
    private readonly slack: SlackApiFake,
    /** The verdict's label to watch for ("Sound with changes"); reading every call costs, so only when asked. */
    private readonly verdictLabel?: string,
  ) {}

  of(channel: string): ConsultationProgress {
    this.poll();
    return this.progress.get(channel) ?? {};
  }

  /** Waits until every channel's consultation has finished; throws after `timeoutMs`. */
  async waitForAll(channels: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pending = [...channels];
    while (pending.length > 0) {
      this.poll();
      pending = pending.filter((c) => this.progress.get(c)?.finishedAt === undefined);
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${pending.length} of ${channels.length} consultations unfinished after ${timeoutMs} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  failures(channels: readonly string[]): number {
    this.poll();
    return channels.filter((c) => this.progress.get(c)?.failed).length;
  }

  private poll(): void {
    const calls = this.slack.calls;
    for (; this.cursor < calls.length; this.cursor++) {
      const call = calls[this.cursor];
      const channel = call?.params.channel;
      if (!call || typeof channel !== 'string') continue;
      const p = this.progress.get(channel) ?? {};
      this.progress.set(channel, p);
      if (
        this.verdictLabel &&
        p.verdictVisibleAt === undefined &&
        JSON.stringify(call.params).includes(this.verdictLabel)
      ) {
        p.verdictVisibleAt = call.at;
      }
      const blocks = JSON.stringify(call.params.blocks ?? []);
      if (call.method === 'chat.postMessage' && call.params.thread_ts !== undefined) {
        // The placeholder first; the reply, which always offers its full version, ends a consultation.
        if (p.placeholderAt === undefined) p.placeholderAt = call.at;
        else if (p.finishedAt === undefined && blocks.includes('open_full_review')) p.finishedAt = call.at;
      } else if (call.method === 'chat.update' && p.finishedAt === undefined) {
        // Progress updates come first; only the error ends a consultation in the placeholder.
        if (!blocks.includes('retry_consultation')) continue;
        p.finishedAt = call.at;
        p.failed = true;
      }
    }
  }
}
