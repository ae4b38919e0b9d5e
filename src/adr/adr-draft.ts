import type { GroundedReview } from '../domain/review';
import { truncate } from '../lib/mrkdwn';

/** What the "Save as ADR" form starts from; every field stays editable. */
export interface AdrDraft {
  title: string;
  /** The decision in one paragraph. */
  decision: string;
  /** The context and problem statement: the thread's opening message, as Markdown. */
  context: string;
}

/** Field limits of the form (Slack allows up to 3,000 characters in a text input). */
export const ADR_LIMITS = { title: 150, decision: 3000, context: 3000 } as const;

/**
 * The form's starting values: the review's first key decision as the title (else its headline), that
 * decision and its rationale as the paragraph (else the recommended architecture, else the TL;DR), and
 * the thread's opening message as the context.
 */
export function draftAdr(review: GroundedReview, threadRoot: string | undefined): AdrDraft {
  const first = review.decisions?.[0];
  const title = oneLine(first?.decision ?? review.headline).replace(/[.\s]+$/, '');
  const decision = first
    ? `${sentence(first.decision)} ${sentence(first.rationale)}`
    : (review.recommendedArchitecture?.overview ?? review.tldr);
  const context = threadRoot?.trim() ? slackTextToMarkdown(threadRoot) : review.headline;
  return {
    title: truncate(title, ADR_LIMITS.title),
    decision: truncate(oneParagraph(decision), ADR_LIMITS.decision),
    context: truncate(context.trim(), ADR_LIMITS.context),
  };
}

/** A Slack message as Markdown: its markup tokens made readable, its bullets and *bold* Markdown's. */
export function slackTextToMarkdown(text: string): string {
  return slackTokensToMarkdown(
    text
      .replace(/^([ \t]*)•[ \t]+/gm, '$1- ')
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm, '$1**$2**'),
  );
}

/**
 * Slack's markup tokens for a file outside Slack: links become Markdown links, mentions, channels and
 * broadcasts readable names that ping no one, and the three escaped characters themselves again.
 */
export function slackTokensToMarkdown(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '[$2]($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/<#[A-Z0-9]+\|([^>]+)>/g, '#$1')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/<@([A-Z0-9]+)(?:\|([^>]+))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_m, name?: string) => name ?? '@group')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const oneParagraph = (text: string) => text.replace(/\s*\n\s*\n\s*/g, ' ').trim();
const sentence = (text: string) => {
  const t = oneLine(text);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};
