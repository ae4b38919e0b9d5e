import type { FakeMessage, SlackApiFake } from '../fakes/slack-api-fake';
import { CHANNEL, eventCallback, slashCommandBody, USER } from './slack-payloads';
import { signedPost } from './slack-signing';

/**
 * What a person does in Slack (mention the bot, react, type a command), sent to the app the way
 * Slack sends it, and how to read what the bot shows back.
 */

/** The app under test, as far as these actions need it: the Slack fake and where Slack's requests go. */
export interface SlackApp {
  slack: SlackApiFake;
  eventsUrl: string;
}

const FORM = { contentType: 'application/x-www-form-urlencoded' } as const;

/** Every text a message shows: its fallback and its blocks, flattened. */
export function shownText(message: { text?: unknown; blocks?: unknown }): string {
  return `${String(message.text ?? '')}\n${JSON.stringify(message.blocks ?? [])}`;
}

/** The placeholder while the agent works, rather than anything it finished. */
export const isProgress = (m: { text?: unknown }): boolean =>
  /is (reading|thinking|writing|reviewing)/.test(String(m.text ?? ''));
/** A finished reply (answer or review): it always offers its full version. */
export const isReview = (m: FakeMessage): boolean =>
  shownText(m).includes('"open_full_review"') && !isProgress(m);
export const isFailure = (m: FakeMessage): boolean => /couldn.t finish the review/.test(shownText(m));
export const hasRetryButton = (m: FakeMessage): boolean => shownText(m).includes('retry_consultation');

/** What the bot shows in a thread: its own messages, the root excluded. */
export function botReplies(app: { slack: SlackApiFake }, threadTs: string): FakeMessage[] {
  return app.slack.threadMessages(CHANNEL, threadTs).filter((m) => m.bot_id && m.ts !== threadTs);
}

export interface MentionOptions {
  /** What the person writes; it mentions the bot. */
  text?: string;
  /** Mention in this thread; at the channel's top level when absent. */
  threadTs?: string;
  user?: string;
  /** The message mentioning the bot when it is already in the channel (else it is posted first). */
  ts?: string;
  /** The event's id: the same id again is Slack redelivering the same event. */
  eventId?: string;
  headers?: Record<string, string>;
  /** Another replica's events URL; the app's own by default. */
  eventsUrl?: string;
}

/** A person's message mentioning the bot, and the app_mention event Slack sends for it; returns its ts. */
export async function mention(app: SlackApp, opts: MentionOptions = {}): Promise<string> {
  const text = opts.text ?? '<@UBOT> please review: one Postgres for orders and billing, a Node API in front';
  const user = opts.user ?? USER;
  const thread = opts.threadTs ? { thread_ts: opts.threadTs } : {};
  const ts = opts.ts ?? app.slack.addMessage(CHANNEL, { user, text, ...thread });
  const res = await signedPost(
    opts.eventsUrl ?? app.eventsUrl,
    eventCallback({ type: 'app_mention', user, text, ts, ...thread, channel: CHANNEL }, opts.eventId),
    { headers: opts.headers ?? {} },
  );
  if (res.status !== 200) throw new Error(`the app answered the mention with HTTP ${res.status}`);
  return ts;
}

/** A reaction to a message (the review emoji unless told otherwise), as the reaction_added event. */
export async function react(
  app: SlackApp,
  ts: string,
  opts: { reaction?: string; user?: string; itemUser: string },
): Promise<void> {
  const res = await signedPost(
    app.eventsUrl,
    eventCallback({
      type: 'reaction_added',
      user: opts.user ?? USER,
      reaction: opts.reaction ?? 'building_construction',
      item_user: opts.itemUser,
      item: { type: 'message', channel: CHANNEL, ts },
    }),
  );
  if (res.status !== 200) throw new Error(`the app answered the reaction with HTTP ${res.status}`);
}

/** `/architect <text>`, as Slack POSTs it; resolves with the HTTP response. */
export function postSlashCommand(
  app: SlackApp,
  text: string,
  overrides: Record<string, string> = {},
): Promise<Response> {
  return signedPost(app.eventsUrl, slashCommandBody(text, overrides), FORM);
}

/** `/architect <text>`; resolves with the ephemeral ack the person sees. */
export async function slashCommand(
  app: SlackApp,
  text: string,
  overrides: Record<string, string> = {},
): Promise<{ response_type?: string; text?: string }> {
  const res = await postSlashCommand(app, text, overrides);
  if (res.status !== 200) throw new Error(`the app answered the command with HTTP ${res.status}`);
  return (await res.json()) as { response_type?: string; text?: string };
}
