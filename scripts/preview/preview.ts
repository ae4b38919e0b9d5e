import { draftAdr } from '../../src/adr/adr-draft';
import { threadMessage } from '../../src/adr/save-adr';
import { groundReview } from '../../src/consultation/grounding';
import { ReviewSchema } from '../../src/domain/review';
import { renderAdrModal } from '../../src/rendering/adr-modal';
import { renderFullReviewMessages, renderFullReviewModal } from '../../src/rendering/full-review';
import type { ReplyMeta } from '../../src/rendering/reply-meta';
import { renderReply } from '../../src/rendering/review-message';
import { blockTextLength } from '../../src/rendering/slack-message';
import { previewPage } from './block-kit-html';

/** One message or view the bot would send for a review, with how to look at it. */
export interface PreviewItem {
  label: string;
  kind: 'message' | 'modal';
  title?: string;
  blocks: unknown[];
  /** Opens the payload in Slack's Block Kit Builder (needs a Slack login, and the network). */
  builderUrl: string;
  textChars: number;
}

const META: ReplyMeta = {
  requestId: 'preview',
  agentName: 'backend-architect',
  model: 'claude-sonnet-5-5',
  durationMs: 52_000,
  asOf: new Date().toISOString().slice(0, 10),
  usage: { inputTokens: 21_400, outputTokens: 3_100, cacheReadTokens: 14_800, cacheWriteTokens: 6_200 },
  notes: [],
  otherAgents: ['security-reviewer'],
};

const builderUrl = (payload: object) =>
  `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify(payload))}`;

/**
 * Every message and view the bot would send for `raw` (a review as Claude returns it), its findings
 * grounded against `threadText` when given.
 */
export function previewItems(raw: unknown, threadText = ''): PreviewItem[] {
  const review = groundReview(ReviewSchema.parse(raw), threadText);
  const message = (label: string, blocks: unknown[]): PreviewItem => ({
    label,
    kind: 'message',
    blocks,
    builderUrl: builderUrl({ blocks }),
    textChars: blockTextLength(blocks),
  });
  const modal = renderFullReviewModal(review, META);
  const draft = draftAdr(review, threadText.split('\n')[0] || undefined);
  const adrModal = renderAdrModal({
    metadata: { v: 1, requestId: META.requestId },
    draft,
    agentName: META.agentName,
    headline: review.headline,
    repository: { name: 'acme/platform', adrPath: 'docs/adr' },
  });
  const pr = { number: 42, url: 'https://github.com/acme/platform/pull/42', path: 'docs/adr/0007-example.md', branch: 'b' };
  const savedText = threadMessage('U0ALICE', { ...draft, status: 'proposed', context: '' }, 'acme/platform', pr, undefined);
  return [
    message('The reply in the thread', renderReply(review, META).blocks),
    message('The same reply, shortened (when Slack refuses the first layout)', renderReply(review, META, 'minimal').blocks),
    {
      label: 'Full review (modal, from the reply’s button)',
      kind: 'modal',
      title: modal.title.text,
      blocks: modal.blocks,
      builderUrl: builderUrl(modal),
      textChars: blockTextLength(modal.blocks),
    },
    {
      label: 'Save as ADR (modal, from the reply’s button)',
      kind: 'modal',
      title: adrModal.title.text,
      blocks: adrModal.blocks,
      builderUrl: builderUrl(adrModal),
      textChars: blockTextLength(adrModal.blocks),
    },
    message('The ADR saved in the thread (the message that carries the file)', [
      { type: 'section', text: { type: 'mrkdwn', text: savedText } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: ':paperclip: 0007-example.md (Markdown)' }] },
    ]),
    ...renderFullReviewMessages(review, META).map((m, i, all) =>
      message(`Full review in the thread, where a modal is refused (${i + 1}/${all.length})`, m.blocks),
    ),
  ];
}

/** The HTML pages of a preview: as wide as a laptop's Slack pane and as a phone. */
export function previewPages(items: PreviewItem[]): { laptop: string; phone: string } {
  return { laptop: previewPage(items, 720), phone: previewPage(items, 390) };
}
