import type { ActionsBlock, KnownBlock } from '@slack/web-api';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';
import { ActionId } from './interactions';
import { RENDER_LIMITS, type SlackMessage } from './slack-message';

/** `action_id` of the button that re-runs a failed consultation. */

/** How much of the user's request the channel root message quotes; the full text goes to the thread. */
const ROOT_QUOTE_MAX_LINES = 5;
const ROOT_QUOTE_MAX_CHARS = 600;

/** Shown in the thread while the agent works; later replaced by the review or a failure message. */
export function renderPlaceholder(agentName: string): SlackMessage {
  const agent = escapeMrkdwn(agentName);
  return {
    text: truncate(`${agent} is reviewing…`, RENDER_LIMITS.fallbackText),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`:hourglass_flowing_sand: *${agent}* is reviewing…`, RENDER_LIMITS.sectionText),
        },
      },
    ],
  };
}

/**
 * Tells the thread a consultation failed, in plain language, with a Retry button when the caller can
 * retry. A retry value Slack would refuse (over 2,000 chars) leaves the button out rather than making
 * the whole failure message undeliverable.
 */
export function renderFailure(opts: {
  agentName: string;
  reason: string;
  retryValue?: string;
}): SlackMessage {
  const agent = escapeMrkdwn(opts.agentName);
  const reason = escapeMrkdwn(opts.reason).trim() || 'Something went wrong.';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `:warning: *${agent}* couldn't finish the review.\n${reason}`,
          RENDER_LIMITS.sectionText,
        ),
      },
    },
  ];
  const retry = retryActions(opts.retryValue);
  if (retry) blocks.push(retry);
  return {
    text: truncate(`${agent} couldn't finish the review: ${reason}`, RENDER_LIMITS.fallbackText),
    blocks,
  };
}

function retryActions(retryValue: string | undefined): ActionsBlock | undefined {
  if (retryValue === undefined || retryValue.length > RENDER_LIMITS.buttonValue) return undefined;
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Retry', emoji: true },
        action_id: ActionId.retry,
        value: retryValue,
      },
    ],
  };
}

/** `<@U123>` for a real user id; anything else is escaped text, so it cannot smuggle in markup. */
function mentionUser(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** The first few lines of the request, marked with an ellipsis when anything was left out. */
function requestExcerpt(text: string): string {
  const lines = text.trim().split('\n');
  const kept = lines.slice(0, ROOT_QUOTE_MAX_LINES).join('\n');
  const cutLines = lines.length > ROOT_QUOTE_MAX_LINES;
  if (kept.length > ROOT_QUOTE_MAX_CHARS) return truncate(kept, ROOT_QUOTE_MAX_CHARS);
  return cutLines ? `${kept}…` : kept;
}

/**
 * The visible channel message a slash command posts, so the channel sees who asked which agent what;
 * the review then goes into its thread.
 */
export function renderRequestRoot(opts: { userId: string; text: string; agentName: string }): SlackMessage {
  const who = mentionUser(opts.userId);
  const agent = escapeMrkdwn(opts.agentName);
  const excerpt = escapeMrkdwn(requestExcerpt(opts.text));
  const intro = `${who} asked *${agent}* for a review`;
  const quote = excerpt
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
  const body = excerpt.length > 0 ? `${intro}:\n${quote}` : `${intro}.`;
  const plainExcerpt = excerpt.replace(/\s*\n\s*/g, ' ');
  const text =
    plainExcerpt.length > 0
      ? `${who} asked ${agent} for a review: ${plainExcerpt}`
      : `${who} asked ${agent} for a review.`;
  return {
    text: truncate(text, RENDER_LIMITS.fallbackText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(body, RENDER_LIMITS.sectionText) } }],
  };
}

/** Why a review cannot go ahead when its agent was removed while the request waited. */
export function renderAgentGone(agentName: string): string {
  return `The agent “${agentName}” is no longer available. Ask again to use another agent.`;
}

/** Slack's status line under a thread while the bot works: the status, and what it rotates through. */
export const REVIEWING_STATUS = {
  status: 'is reviewing…',
  loadingMessages: [
    'Reading the thread…',
    'Reading the attached files…',
    'Thinking about the design…',
    'Writing the review…',
  ],
};

/** Shown in the placeholder's place once every attempt has failed. */
export const GAVE_UP_REASON =
  'Something went wrong on our side while preparing this review, and retrying did not help.';

/** Why a consultation cannot go ahead, told privately to the person who asked. */
export const CANNOT_GO_AHEAD = {
  channelClosed: 'I can’t post in this channel. Invite me with `/invite @Architect` and ask again.',
  noThread: 'This request names no thread to answer in.',
  messageGone: 'I could not read the message you asked me to review: it may have been deleted.',
  cannotReadViewed: (channelId: string) =>
    `I can’t read <#${channelId}>, so I can’t review what you’re looking at. Invite me there with \`/invite @Architect\`, or paste the design here.`,
};

/** How the request names what a DM's "review this" read: a channel's latest messages, or a thread. */
export const viewedLabel = (ref: { channelId: string; messageTs?: string | undefined }): string =>
  ref.messageTs ? `a thread in <#${ref.channelId}>` : `the latest messages of <#${ref.channelId}>`;
