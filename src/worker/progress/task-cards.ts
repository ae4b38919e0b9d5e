import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../../lib/error-message';
import { SerialQueue } from '../../lib/serial-queue';
import type { Logger } from '../../logger';
import { clipStep, planChunks, type Step, type StepId, taskChunk } from '../../rendering/task-cards';
import { atPriority } from '../../slack/call-priority';
import { slackErrorCode } from '../../slack/slack-errors';
import { TrackedMessage } from './tracked-message';

export type { Step, StepId };

const STREAM_ENDED = 'message_not_in_streaming_state';

/**
 * The consultation's stages as Slack's task cards (plan_update and task_update chunks) in a streamed
 * message of their own in the request's thread: reading the thread, files not read, reviewing with the
 * agent, checking the answer, posting. Each card ends complete or as an error with its reason.
 *
 * Whether cards are shown is decided once, when the stream starts: where Slack refuses the chunks (an
 * app without the agent feature, an older client) the consultation goes on with the status line and
 * the placeholder alone, logged at debug. A stream Slack ends mid-way (message_not_in_streaming_state)
 * rolls over to a new one holding every card as it stands, and the old message goes: no card is shown
 * twice or lost. The message is progress: `discard()` deletes it once the review is in.
 */
export class TaskCards {
  private state: 'idle' | 'live' | 'off' = 'idle';
  private readonly message: TrackedMessage;
  private readonly steps = new Map<StepId, Step>();
  /** Slack calls one at a time, in order. */
  private readonly calls = new SerialQueue();

  constructor(
    private readonly target: {
      slack: WebClient;
      channel: string;
      threadTs: string;
      /** Who asked and their workspace: Slack needs both to stream in a channel, and takes them in a DM. */
      recipient: { userId: string; teamId: string };
    },
    private readonly opts: {
      planTitle: string;
      log: Logger;
      /** Told the steps message's ts once it exists and undefined once it is gone (for a retried job). */
      onMessage?: (ts: string | undefined) => Promise<void>;
    },
  ) {
    this.message = new TrackedMessage(
      { slack: target.slack, channel: target.channel, log: opts.log, onMessage: opts.onMessage },
      { delete: 'could not delete the steps', record: 'could not record the steps message in the job' },
    );
  }

  /** Whether the cards are being shown (the stream started and was not refused). */
  get shown(): boolean {
    return this.state === 'live';
  }

  /** Starts the steps message with every stage's card; a refusal turns the cards off for good. */
  start(steps: Step[]): Promise<void> {
    for (const step of steps) this.steps.set(step.id, step);
    return this.serial(async () => {
      if (this.state !== 'idle') return;
      const ts = await this.startStream().catch((error: unknown) => {
        this.opts.log.debug(
          { err: errorMessage(error) },
          'task cards unavailable; the status line and the placeholder show the progress',
        );
        return undefined;
      });
      this.state = ts ? 'live' : 'off';
    });
  }

  /** Changes one card (adding it when new); nothing happens once the cards are off. */
  set(step: Step): Promise<void> {
    this.steps.set(step.id, clipStep(step));
    // A card's change is progress: it never holds back what a person waits for.
    return atPriority('progress', () =>
      this.serial(async () => {
        if (this.state !== 'live') return;
        const chunk = taskChunk(this.steps.get(step.id) ?? step);
        try {
          await this.target.slack.chat.appendStream({
            channel: this.target.channel,
            ts: this.message.ts ?? '',
            chunks: [chunk],
          });
        } catch (error) {
          if (slackErrorCode(error) === STREAM_ENDED) return this.rollOver();
          this.opts.log.debug({ err: errorMessage(error) }, 'a task card could not be updated; cards off');
          await this.message.delete();
          this.state = 'off';
        }
      }),
    );
  }

  /** The card of `id`, as it stands. */
  get(id: StepId): Step | undefined {
    return this.steps.get(id);
  }

  /** Ends the stream (every card as it stands) and deletes the message: the review has replaced it. */
  discard(): Promise<void> {
    return this.serial(async () => {
      if (this.state === 'live') await this.stopStream();
      this.state = 'off';
      await this.message.delete();
    });
  }

  private async stopStream(): Promise<void> {
    await this.target.slack.chat
      .stopStream({ channel: this.target.channel, ts: this.message.ts ?? '' })
      .catch((error: unknown) =>
        this.opts.log.debug({ err: errorMessage(error) }, 'could not stop the steps'),
      );
  }

  /** A new stream with every card as it stands, then the old message goes; off when that fails too. */
  private async rollOver(): Promise<void> {
    const old = this.message.ts;
    const ts = await this.startStream().catch((error: unknown) => {
      this.opts.log.debug({ err: errorMessage(error) }, 'the steps could not roll over to a new stream');
      return undefined;
    });
    if (old && old !== ts)
      await this.target.slack.chat.delete({ channel: this.target.channel, ts: old }).catch(() => undefined);
    if (!ts) {
      this.state = 'off';
      await this.message.record(undefined);
      return;
    }
    this.opts.log.debug('the steps stream was ended by Slack; rolled over to a new one');
  }

  private async startStream(): Promise<string> {
    const res = await this.target.slack.chat.startStream({
      channel: this.target.channel,
      thread_ts: this.target.threadTs,
      recipient_user_id: this.target.recipient.userId,
      recipient_team_id: this.target.recipient.teamId,
      task_display_mode: 'plan',
      chunks: planChunks(this.opts.planTitle, this.steps.values()),
    });
    if (!res.ts) throw new Error('chat.startStream answered without a ts');
    await this.message.record(res.ts);
    return res.ts;
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    return this.calls.run(fn);
  }
}
