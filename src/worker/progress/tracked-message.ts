import type { WebClient } from '@slack/web-api';
import { ErrorCode, isCodedError } from '../../errors';
import { errorMessage } from '../../lib/error-message';
import type { Logger } from '../../logger';

/**
 * The ts of a progress message an attempt posted in the thread (the streamed summary, the steps), told
 * to the job whenever it changes so that a job retried after a crash can delete a message its earlier
 * attempt left behind. Failures are only logged: the message is progress, and the review replaces it.
 */
export class TrackedMessage {
  private current: string | undefined;

  constructor(
    private readonly where: {
      slack: WebClient;
      channel: string;
      log: Logger;
      onMessage?: (ts: string | undefined) => Promise<void>;
    },
    /** The log lines for a delete and a record that failed. */
    private readonly failures: { delete: string; record: string },
  ) {}

  get ts(): string | undefined {
    return this.current;
  }

  /** The message is now `ts`, or gone without a delete of ours when undefined. */
  async record(ts: string | undefined): Promise<void> {
    this.current = ts;
    await this.tell(ts);
  }

  /**
   * Deletes the message if there is one; the job is told once the delete has been tried. A delete the
   * Slack budget did not allow now (asked for without waiting) keeps the message for a later one.
   */
  async delete(): Promise<void> {
    const ts = this.current;
    if (!ts) return;
    this.current = undefined;
    try {
      await this.where.slack.chat.delete({ channel: this.where.channel, ts });
    } catch (error) {
      if (isCodedError(error, ErrorCode.SlackCallDropped)) {
        this.current = ts;
        return;
      }
      this.where.log.warn({ err: errorMessage(error) }, this.failures.delete);
    }
    await this.tell(undefined);
  }

  private async tell(ts: string | undefined): Promise<void> {
    await this.where
      .onMessage?.(ts)
      .catch((error: unknown) => this.where.log.warn({ err: errorMessage(error) }, this.failures.record));
  }
}
