import type { KnownBlock, ModalView } from '@slack/web-api';
import type { GroundedFinding, GroundedReview } from '../domain/review';
import { SEVERITY_ORDER } from '../domain/review';
import { formatCount, splitIntoChunks, truncate } from '../lib/mrkdwn';
import { adrCitationLine } from './adr-citation';
import { CallbackId } from './interactions';
import { plainLine } from './plain-text';
import { formatDuration, type ReplyMeta } from './reply-meta';
import { SEVERITY_LABELS, VERDICT_LABELS } from './review-labels';
import { MESSAGE_TEXT_BUDGET, RENDER_LIMITS, type SlackMessage } from './slack-message';
import { markdownToMrkdwn, plainMrkdwn } from './slack-text';
import { technologyVersion } from './technology-version';

/** A name or title as one line of mrkdwn, its Markdown markers gone: it sits inside our own bold. */
const label = (text: string) => plainMrkdwn(plainLine(text));

/** Slack's limit on blocks in a modal. */
const MODAL_BLOCKS = 100;

/**
 * The whole review, every section and every finding with its evidence and recommendation, as mrkdwn
 * sections in reading order. The compact reply in the thread links here; the modal and the thread
 * fallback are both built from these.
 */
export function fullReviewSections(review: GroundedReview, meta: ReplyMeta): string[] {
  const md = markdownToMrkdwn;
  const verdict = review.verdict ? VERDICT_LABELS[review.verdict] : undefined;
  const sections: string[] = [
    [
      verdict
        ? `${verdict.emoji} *${verdict.label}* — ${label(review.headline)}`
        : `*${label(review.headline)}*`,
      md(review.tldr),
    ].join('\n'),
  ];
  if (review.whatChanged) {
    const w = review.whatChanged;
    sections.push(
      titled('What changed', [
        md(w.summary),
        listLine('Resolved', w.resolved),
        listLine('Still open', w.stillOpen),
        listLine('New', w.new),
      ]),
    );
  }
  const findings = [...review.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  if (findings.length > 0) sections.push(`*Findings (${findings.length})*`, ...findings.map(findingText));
  else if (review.kind === 'review') sections.push('*Findings*\nNo significant issues.');
  sections.push(
    titled(
      'Assumptions',
      review.assumptions.map((a) => `• ${md(a)}`),
    ),
  );
  const arch = review.recommendedArchitecture;
  if (arch) {
    sections.push(
      titled('Recommended architecture', [
        md(arch.overview),
        ...arch.components.map((c) => `• *${label(c.name)}* — ${md(c.responsibility)}`),
      ]),
    );
  }
  sections.push(
    titled(
      'Decisions',
      (review.decisions ?? []).map((d) => `• *${label(d.decision)}* — ${md(d.rationale)}`),
    ),
    titled(
      'Alternatives',
      (review.alternatives ?? []).map((a) => `• *${label(a.option)}* — ${md(a.tradeoffs)}`),
    ),
    titled(
      'Roadmap',
      (review.roadmap ?? []).map(
        (p) => `*${label(p.phase)}*\n${p.items.map((i) => `• ${md(i)}`).join('\n')}`,
      ),
    ),
    titled(
      'Technologies',
      (review.technologies ?? []).map((t) => {
        const { stated, unverified } = technologyVersion(t);
        const name = `*${label(t.name)}${stated ? ` ${label(stated)}` : ''}*`;
        return `• ${name}${unverified ? ` (${label(unverified)}, unverified)` : ''} — ${md(t.purpose)}`;
      }),
    ),
    titled('Scalability & performance', [md(review.scalability ?? '')]),
    titled('Security & compliance', [md(review.security ?? '')]),
    titled(
      'Questions from the architect',
      review.clarifyingQuestions.map((q) => `• ${md(q.question)}`),
    ),
    footer(meta),
  );
  return sections.filter((s) => s.trim().length > 0);
}

function findingText(f: GroundedFinding): string {
  const sev = SEVERITY_LABELS[f.severity];
  const lines = [
    `${sev.emoji} *${sev.label} · ${label(f.category)} — ${label(f.title)}*`,
    f.adr ? adrCitationLine(f.adr) : '',
    markdownToMrkdwn(f.detail),
    `*Recommendation:* ${markdownToMrkdwn(f.recommendation)}`,
  ];
  if (f.evidence) lines.push(`> “${plainMrkdwn(f.evidence.replace(/\s+/g, ' ').trim())}”`);
  if (f.aboutAbsence && f.absent)
    lines.push(`_About what the design leaves out: looked for ${label(f.absent)} and found none._`);
  else if (!f.verified) lines.push('_Not tied to a quote from the thread: check it against the design._');
  return lines.filter((l) => l.trim()).join('\n');
}

function titled(title: string, lines: string[]): string {
  const body = lines.filter((l) => l.trim().length > 0).join('\n');
  return body ? `*${plainMrkdwn(title)}*\n${body}` : '';
}

function listLine(name: string, items: string[]): string {
  return items.length ? `*${name}:* ${items.map(label).join(' · ')}` : '';
}

/** Token and cache figures belong here and in the metrics, not in the thread. */
function footer(meta: ReplyMeta): string {
  const u = meta.usage;
  const parts = [
    plainMrkdwn(meta.agentName),
    plainMrkdwn(meta.model),
    formatDuration(meta.durationMs),
    `${formatCount(u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens)} tokens in (${formatCount(u.cacheReadTokens)} from cache, ${formatCount(u.cacheWriteTokens)} cached), ${formatCount(u.outputTokens)} out`,
  ];
  const notes = (meta.notes ?? []).map((n) => `_${plainMrkdwn(n)}_`);
  return [`_${parts.join(' · ')}_`, ...notes].join('\n');
}

function sectionsToBlocks(sections: string[]): KnownBlock[] {
  return sections.flatMap((text, i) => [
    ...(i > 0 && text.startsWith('*') && !text.startsWith('*Findings') ? [{ type: 'divider' as const }] : []),
    ...splitIntoChunks(text, RENDER_LIMITS.sectionText).map(
      (chunk): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: chunk }, expand: true }),
    ),
  ]);
}

/** The full review in a modal, opened from the reply's "Full review" button. */
export function renderFullReviewModal(review: GroundedReview, meta: ReplyMeta): ModalView {
  let blocks = sectionsToBlocks(fullReviewSections(review, meta));
  if (blocks.length > MODAL_BLOCKS) {
    blocks = [
      ...blocks.slice(0, MODAL_BLOCKS - 1),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: '_The review goes on beyond what one window holds._' }],
      },
    ];
  }
  return {
    type: 'modal',
    callback_id: CallbackId.fullReviewModal,
    title: { type: 'plain_text', text: review.kind === 'answer' ? 'Full answer' : 'Full review' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

/**
 * The full review as thread messages, each within Slack's block and text budgets: where a modal cannot
 * be opened, the review still reaches the person in one click.
 */
export function renderFullReviewMessages(review: GroundedReview, meta: ReplyMeta): SlackMessage[] {
  const blocks = sectionsToBlocks(fullReviewSections(review, meta));
  const pages: KnownBlock[][] = [[]];
  let used = 0;
  for (const block of blocks) {
    const size = block.type === 'section' ? (block.text?.text.length ?? 0) : 0;
    const page = pages[pages.length - 1] ?? [];
    if (
      page.length > 0 &&
      (page.length >= RENDER_LIMITS.blocksPerMessage - 1 || used + size > MESSAGE_TEXT_BUDGET)
    ) {
      pages.push([]);
      used = 0;
    }
    pages[pages.length - 1]?.push(block);
    used += size;
  }
  const pagesWithContent = pages
    .map((p) => p.filter((b, i) => !(b.type === 'divider' && i === 0)))
    .filter((p) => p.length);
  return pagesWithContent.map((page, i) => ({
    text: truncate(
      `Full review by ${plainMrkdwn(meta.agentName)}${pagesWithContent.length > 1 ? ` (${i + 1}/${pagesWithContent.length})` : ''}: ${label(review.headline)}`,
      RENDER_LIMITS.fallbackText,
    ),
    blocks: page,
  }));
}
