import type { HomeView, KnownBlock } from '@slack/web-api';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';
import { plainLine } from './plain-text';
import { type HomeSettings, settingsBlocks } from './settings-view';
import { shortenMrkdwn } from './shorten';
import { RENDER_LIMITS } from './slack-message';

/** An agent as the Home tab lists it. */
export interface HomeAgent {
  name: string;
  model: string;
  /** One or two sentences; the full Claude Code description carries examples that would crowd the tab. */
  description: string;
}

/** One of the user's reviews as the Home tab lists it. */
export interface HomeReview {
  agentName: string;
  summary: string;
  channelId: string;
  createdAt: number;
  /** Link to the review's thread (chat.getPermalink); absent when Slack could not give one. */
  permalink?: string;
}

/** An ADR the user saved from a review, as the Home tab lists it. */
export interface HomeAdr {
  title: string;
  status: string;
  savedAt: number;
  channelId: string;
  /** Its pull request (path and number), when one was opened. */
  pullRequest?: { url: string; number: number; path: string } | undefined;
  /** The uploaded file in Slack. */
  filePermalink?: string | undefined;
}

export interface HomeViewInput {
  agents: HomeAgent[];
  defaultAgent: string;
  reviewReaction: string;
  /** Newest first. */
  reviews: HomeReview[];
  /** The ADRs the user saved, newest first; the section is left out when there are none. */
  adrs?: HomeAdr[];
  /** The workspace's settings; the section is left out when absent. */
  settings?: HomeSettings;
}

/** A Home view holds at most 100 blocks; these caps keep every part visible within that. */
const MAX_AGENTS = 30;
const MAX_REVIEWS = 20;
const MAX_ADRS = 10;
const DESCRIPTION_CHARS = 300;
const SUMMARY_CHARS = 200;

/**
 * The bot's Home tab: how to ask for a review, the agents, and the user's own recent reviews. Pure, so
 * its Block Kit limits are tested without Slack.
 */
export function renderHomeView(input: HomeViewInput): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Architect' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          'Architecture reviews from an AI architect, in the thread where your design is discussed. Ways to ask:',
          '• `/architect review <paste your design>` posts your request in the channel and answers in its thread.',
          '• `@Architect <question>` inside a thread answers with the whole thread as context.',
          `• React with :${input.reviewReaction}: to a message that holds a design to have it reviewed in its thread.`,
          '• *…* → *Review with Architect* on any message: choose an agent and what to focus on.',
          '• Send Architect a direct message (the Messages tab): each message starts its own conversation.',
          `Add \`--agent NAME\` to choose an agent (default: \`${escapeMrkdwn(input.defaultAgent)}\`).`,
        ].join('\n'),
      },
    },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Agents' } },
    ...agentBlocks(input.agents, input.defaultAgent),
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Your recent reviews' } },
    ...reviewBlocks(input.reviews),
    ...adrBlocks(input.adrs ?? []),
    ...(input.settings ? settingsBlocks(input.settings) : []),
  ];
  return { type: 'home', blocks };
}

function agentBlocks(agents: HomeAgent[], defaultAgent: string): KnownBlock[] {
  if (agents.length === 0) return [mrkdwnSection('No agents are loaded.')];
  const shown: KnownBlock[] = agents.slice(0, MAX_AGENTS).map((agent) => {
    const badge = agent.name === defaultAgent ? ' · default' : '';
    return mrkdwnSection(
      `*${escapeMrkdwn(agent.name)}* (${escapeMrkdwn(agent.model)}${badge})\n` +
        escapeMrkdwn(truncate(agent.description, DESCRIPTION_CHARS)),
    );
  });
  if (agents.length > MAX_AGENTS) {
    shown.push(contextLine(`…and ${agents.length - MAX_AGENTS} more: \`/architect agents\` lists them all.`));
  }
  return shown;
}

function reviewBlocks(reviews: HomeReview[]): KnownBlock[] {
  if (reviews.length === 0) {
    return [
      mrkdwnSection('You have no reviews yet. Ask in one of the three ways above and they will appear here.'),
    ];
  }
  return reviews.slice(0, MAX_REVIEWS).map((review) => {
    // A link's label shows no formatting: Claude's Markdown markers ("## Summary", **) would show raw.
    const summary = escapeMrkdwn(
      shortenMrkdwn(plainLine(review.summary, { dropHeadings: true }), SUMMARY_CHARS),
    );
    const title = review.permalink ? `<${review.permalink}|${summary.replaceAll('|', '¦')}>` : summary;
    const seconds = Math.floor(review.createdAt / 1000);
    const fallbackDate = new Date(review.createdAt).toISOString().slice(0, 10);
    const when = `<!date^${seconds}^{date_short_pretty} at {time}|${fallbackDate}>`;
    return mrkdwnSection(
      `${title}\n${escapeMrkdwn(review.agentName)} · <#${review.channelId}> · ${when}${review.permalink ? '' : ' · thread unavailable'}`,
    );
  });
}

function adrBlocks(adrs: HomeAdr[]): KnownBlock[] {
  if (adrs.length === 0) return [];
  return [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Your decisions (ADRs)' } },
    ...adrs.slice(0, MAX_ADRS).map((adr) => {
      const title = escapeMrkdwn(truncate(adr.title.replace(/\s+/g, ' ').trim(), SUMMARY_CHARS)).replaceAll(
        '|',
        '¦',
      );
      const link = adr.pullRequest?.url ?? adr.filePermalink;
      const where = adr.pullRequest
        ? `pull request #${adr.pullRequest.number} · \`${escapeMrkdwn(adr.pullRequest.path)}\``
        : 'uploaded to the thread';
      return mrkdwnSection(
        `${link ? `<${link}|${title}>` : title}\n${escapeMrkdwn(adr.status)} · ${where} · <#${adr.channelId}> · ${slackDate(adr.savedAt)}`,
      );
    }),
  ];
}

function slackDate(at: number): string {
  return `<!date^${Math.floor(at / 1000)}^{date_short_pretty}|${new Date(at).toISOString().slice(0, 10)}>`;
}

function mrkdwnSection(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, RENDER_LIMITS.sectionText) } };
}

function contextLine(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
