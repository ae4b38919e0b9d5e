import type { SlackApiFake } from '../test/fakes/slack-api-fake';
import { eventCallback, slashCommandBody } from '../test/helpers/slack-payloads';
import { type SignedRequest, signRequest } from './load';

const PEOPLE = ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAVE', 'U0ERIN'] as const;
export const REQUESTER = PEOPLE[0];
const DESIGN =
  'We plan one Postgres for orders and billing, a Node API in front, nightly batch exports to the ' +
  'warehouse, and a Redis cache for sessions. Expected load is 2,000 orders per minute at peak.';

/**
 * The benchmark's Slack workspace in the fake: every consultation gets a channel of its own, so each
 * request is found again by channel and the fake's per-channel scans stay small however many run.
 */
export class BenchWorkspace {
  private channelCount = 0;

  constructor(
    readonly slack: SlackApiFake,
    private readonly label: string,
  ) {
    this.addPeople();
  }

  /** Forgets the fake's calls and messages between phases (they would only cost memory and scans). */
  reset(): void {
    this.slack.reset();
    this.addPeople();
  }

  newChannel(): string {
    this.channelCount++;
    return `C${this.label}${String(this.channelCount).padStart(6, '0')}`;
  }

  /** `/architect review <design>` from a channel of its own. */
  slashCommand(): { channel: string; request: SignedRequest } {
    const channel = this.newChannel();
    const body = slashCommandBody(`review ${DESIGN}`, { channel_id: channel });
    return { channel, request: signRequest(body, 'form') };
  }

  /**
   * `@Architect` as the last of `threadLength` messages in a thread of its own channel (the root
   * included), with several people talking, as a design discussion looks.
   */
  mentionInThread(
    threadLength: number,
    /** When set, the thread's replies carry about this many characters in all (pasted design sections). */
    threadChars?: number,
  ): { channel: string; threadTs: string; request: SignedRequest } {
    const channel = this.newChannel();
    const rootTs = this.slack.addMessage(channel, { user: REQUESTER, text: DESIGN });
    const replies = Math.max(1, threadLength - 2);
    for (let i = 1; i < threadLength - 1; i++) {
      const question = `Point ${i}: what happens to the exports when the billing tables are locked for month end?`;
      const pasted = threadChars
        ? `\n\nSection ${i} of the design doc:\n${DESIGN.repeat(Math.ceil(threadChars / replies / DESIGN.length)).slice(0, Math.floor(threadChars / replies))}`
        : ` ${DESIGN.slice(0, 80)}`;
      this.slack.addMessage(channel, {
        user: PEOPLE[i % PEOPLE.length],
        thread_ts: rootTs,
        text: question + pasted,
      });
    }
    return { channel, threadTs: rootTs, request: this.mentionIn(channel, rootTs) };
  }

  /** The requester's "@Architect is this sound?" in the thread under `rootTs`, as Slack would sign it. */
  mentionIn(channel: string, rootTs: string): SignedRequest {
    const text = '<@UBOT> is this sound?';
    const ts = this.slack.addMessage(channel, { user: REQUESTER, text, thread_ts: rootTs });
    const body = eventCallback({
      type: 'app_mention',
      user: REQUESTER,
      text,
      ts,
      thread_ts: rootTs,
      channel,
    });
    return signRequest(body, 'json');
  }

  private addPeople(): void {
    for (const id of PEOPLE) this.slack.addUser(id, { name: id.slice(2).toLowerCase() });
  }
}
