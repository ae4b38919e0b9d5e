import type { KnownBlock } from '@slack/web-api';
import type { Verdict } from '../domain/review';
import { escapeMrkdwn, formatCount, truncate } from '../lib/mrkdwn';
import { VERDICT_LABELS } from './review-labels';
import { RENDER_LIMITS, type SlackMessage } from './slack-message';
import { markdownToMrkdwn } from './slack-text';

/** What a consultation is doing, in the order it happens. */
export type Progress =
  | { phase: 'reading'; messages: number; files: number }
  | { phase: 'thinking' }
  | {
      phase: 'writing';
      summary?: string;
      /** Claude has moved past the summary (a streamed summary's stream can stop). */
      summaryDone?: boolean;
    };

/** How much of the summary the placeholder shows while Claude writes it. */
const SUMMARY_PREVIEW_CHARS = 2500;

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The placeholder while the agent works: reading the thread → thinking → writing, with the summary so far. */
export function renderProgress(agentName: string, progress: Progress): SlackMessage {
  const agent = escapeMrkdwn(agentName);
  const line = progressLine(agent, progress);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(line, RENDER_LIMITS.sectionText) } },
  ];
  const summary = progress.phase === 'writing' ? (progress.summary ?? '').trim() : '';
  if (summary.length > 0) {
    const preview = markdownToMrkdwn(truncate(summary, SUMMARY_PREVIEW_CHARS));
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(preview, RENDER_LIMITS.sectionText) },
    });
  }
  const text =
    summary.length > 0 ? `${line}\n${escapeMrkdwn(truncate(summary, SUMMARY_PREVIEW_CHARS))}` : line;
  return { text: truncate(text.replace(/\*/g, ''), RENDER_LIMITS.fallbackText), blocks };
}

function progressLine(agent: string, progress: Progress): string {
  switch (progress.phase) {
    case 'reading': {
      const files = progress.files > 0 ? `, ${plural(progress.files, 'file', 'files')}` : '';
      return `:mag: *${agent}* is reading the thread (${plural(progress.messages, 'message', 'messages')}${files})…`;
    }
    case 'thinking':
      return `:thought_balloon: *${agent}* is thinking…`;
    case 'writing':
      return `:writing_hand: *${agent}* is writing the review…`;
  }
}

/**
 * The streamed summary's Markdown while Claude writes: the verdict and headline (an answer has no
 * verdict), then the TL;DR as it grows.
 */
export function renderStreamedSummary(lead: { verdict?: Verdict; headline: string }, tldr: string): string {
  const first = lead.verdict
    ? `**${VERDICT_LABELS[lead.verdict].label}** — ${lead.headline}`
    : `**${lead.headline}**`;
  return tldr ? `${first}\n\n${tldr}` : first;
}
