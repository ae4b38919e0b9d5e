import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/web-api';
import type { ClarifyingQuestion, Review } from '../consultation/review';
import type { AnswerQuestionsValue, AskAgentValue } from './interaction-values';
import { emphasize, escapeMrkdwn, formatCount, splitIntoChunks, truncate } from './mrkdwn';
import { encodeQuestionButtonValue } from './question-button';
import { blockTextLength, MESSAGE_TEXT_BUDGET, RENDER_LIMITS, type SlackMessage } from './slack-message';

/** Facts about how the review was produced, shown in the closing context line. */
export interface ReviewMeta {
  requestId: string;
  agentName: string;
  model: string;
  durationMs: number;
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
  /** Extra context-line notes, e.g. 'files not read: x.zip (type)'. */
  notes?: string[];
  /** Agents the "Ask another agent" menu offers (this review's own agent excluded by the caller). */
  otherAgents?: string[];
}

/** `action_id` of the button that opens one modal for every open question. */
export const ANSWER_QUESTIONS_ACTION_ID = 'answer_questions';
/** `action_id` of the menu that re-runs the review with another agent. */
export const ASK_ANOTHER_AGENT_ACTION_ID = 'ask_another_agent';
/** Slack's static_select takes up to 100 options. */
const MAX_AGENT_OPTIONS = 100;

/**
 * Slack allows 25 buttons in an actions block, but a wall of buttons is unreadable; every question is
 * still listed in full in the text above the buttons.
 */
export const MAX_QUESTION_BUTTONS = 10;

/** `action_id` of the button for the clarifying question at `index`. */
export const clarifyQuestionActionId = (index: number): string => `clarify_question_${index}`;

const SEVERITY_MARKERS: Record<Review['risks'][number]['severity'], string> = {
  high: ':red_circle: *High*',
  medium: ':large_orange_circle: *Medium*',
  low: ':white_circle: *Low*',
};

// ---------------------------------------------------------------------------------------------------
// Section texts. Every piece of review text goes through escapeMrkdwn before any markup is added.

/** `• *head* — rest`, leaving out whichever part is blank; '' when both are. */
function bullet(head: string, rest: string): string {
  const parts = [emphasize('*', escapeMrkdwn(head)), escapeMrkdwn(rest).trim()].filter((p) => p.length > 0);
  return parts.length === 0 ? '' : `• ${parts.join(' — ')}`;
}

/** A bold title line followed by the body lines; '' when the body is blank, so empty sections vanish. */
function titled(title: string, lines: string[]): string {
  const body = lines.filter((line) => line.trim().length > 0).join('\n');
  return body.length === 0 ? '' : `*${escapeMrkdwn(title)}*\n${body}`;
}

function architectureText(arch: Review['recommendedArchitecture']): string {
  return titled('Recommended architecture', [
    escapeMrkdwn(arch.overview).trim(),
    ...arch.components.map((c) => bullet(c.name, c.responsibility)),
  ]);
}

function decisionsText(decisions: Review['decisions']): string {
  return titled(
    'Key decisions',
    decisions.map((d) => [bullet(d.decision, ''), emphasize('_', escapeMrkdwn(d.rationale))].join('\n')),
  );
}

function alternativesText(alternatives: Review['alternatives']): string {
  return titled(
    'Alternatives & trade-offs',
    alternatives.map((a) => bullet(a.option, a.tradeoffs)),
  );
}

function risksText(risks: Review['risks']): string {
  return titled(
    'Risks',
    risks.map((r) => {
      const mitigation = escapeMrkdwn(r.mitigation).trim();
      const head = `• ${SEVERITY_MARKERS[r.severity]} — ${escapeMrkdwn(r.risk).trim()}`;
      return mitigation.length === 0 ? head : `${head}\n_Mitigation:_ ${mitigation}`;
    }),
  );
}

function roadmapText(roadmap: Review['roadmap']): string {
  return titled(
    'Roadmap',
    roadmap.map((phase) =>
      [emphasize('*', escapeMrkdwn(phase.phase)), ...phase.items.map((item) => bullet('', item))]
        .filter((line) => line.length > 0)
        .join('\n'),
    ),
  );
}

function technologiesText(technologies: Review['technologies']): string {
  return titled(
    'Technology recommendations',
    technologies.map((t) => {
      const name = [t.name.trim(), t.version?.trim() ?? ''].filter((s) => s.length > 0).join(' ');
      return bullet(name, t.purpose);
    }),
  );
}

function questionsText(questions: ClarifyingQuestion[]): string {
  return titled(
    'Clarifying questions',
    questions.map((q, i) => {
      const label = emphasize('*', escapeMrkdwn(q.label));
      const question = escapeMrkdwn(q.question).trim();
      return `${i + 1}. ${[label, question].filter((p) => p.length > 0).join(' — ')}`;
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Blocks.

/** Section blocks for a mrkdwn text, split at line boundaries to respect the 3,000-char limit. */
function sectionBlocks(mrkdwn: string): SectionBlock[] {
  return splitIntoChunks(mrkdwn, RENDER_LIMITS.sectionText).map((chunk) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: chunk },
  }));
}

function questionButton(question: ClarifyingQuestion, index: number, requestId: string): Button | undefined {
  const label = question.label.trim() || `Question ${index + 1}`;
  const value = encodeQuestionButtonValue({ v: 1, requestId, index, label: question.label });
  // Only an absurdly long request id can overflow; a missing button beats a message Slack refuses.
  if (value.length > RENDER_LIMITS.buttonValue) return undefined;
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(label, RENDER_LIMITS.buttonText), emoji: true },
    action_id: clarifyQuestionActionId(index),
    value,
  };
}

function questionActions(questions: ClarifyingQuestion[], requestId: string): ActionsBlock | undefined {
  const buttons = questions
    .slice(0, MAX_QUESTION_BUTTONS)
    .map((q, i) => questionButton(q, i, requestId))
    .filter((b): b is Button => b !== undefined);
  if (buttons.length === 0) return undefined;
  const answerAll: Button = {
    type: 'button',
    style: 'primary',
    text: { type: 'plain_text', text: 'Answer questions', emoji: true },
    action_id: ANSWER_QUESTIONS_ACTION_ID,
    value: JSON.stringify({ v: 1, requestId } satisfies AnswerQuestionsValue),
  };
  return { type: 'actions', elements: [...buttons, answerAll] };
}

function askAnotherAgentActions(agents: string[], requestId: string): ActionsBlock | undefined {
  const options = agents
    .slice(0, MAX_AGENT_OPTIONS)
    .map((agent) => ({ agent, value: JSON.stringify({ v: 1, requestId, agent } satisfies AskAgentValue) }))
    .filter((o) => o.value.length <= RENDER_LIMITS.optionValue)
    .map((o) => ({
      text: { type: 'plain_text' as const, text: truncate(o.agent, RENDER_LIMITS.optionText) },
      value: o.value,
    }));
  if (options.length === 0) return undefined;
  return {
    type: 'actions',
    elements: [
      {
        type: 'static_select',
        action_id: ASK_ANOTHER_AGENT_ACTION_ID,
        placeholder: { type: 'plain_text', text: 'Ask another agent…' },
        options,
      },
    ],
  };
}

function formatDuration(ms: number): string {
  return Number.isFinite(ms) && ms >= 0 ? `${(ms / 1000).toFixed(1)} s` : '? s';
}

/** `agent · model · 12.3 s · 1,234 in / 567 out tokens (cache: 100 read, 50 written)` and the notes. */
function metaContext(meta: ReviewMeta): ContextBlock {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = meta.usage;
  const cache =
    cacheReadTokens > 0 || cacheWriteTokens > 0
      ? ` (cache: ${formatCount(cacheReadTokens)} read, ${formatCount(cacheWriteTokens)} written)`
      : '';
  const stats = [
    escapeMrkdwn(meta.agentName),
    escapeMrkdwn(meta.model),
    formatDuration(meta.durationMs),
    `${formatCount(inputTokens)} in / ${formatCount(outputTokens)} out tokens${cache}`,
  ].join(' · ');
  const notes = (meta.notes ?? [])
    .map((note) => escapeMrkdwn(note).trim())
    .filter((note) => note.length > 0)
    .join('\n');
  const texts = notes.length > 0 ? [stats, notes] : [stats];
  return {
    type: 'context',
    elements: texts.map((text) => ({ type: 'mrkdwn', text: truncate(text, RENDER_LIMITS.contextText) })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Pagination over messages.

/** Blocks that belong together: packing moves a group to the next message rather than splitting it. */
type BlockGroup = KnownBlock[];

/** Continuation messages spend one block on a "continued" line, so they hold one section fewer. */
const CONTINUATION_CAPACITY = RENDER_LIMITS.blocksPerMessage - 1;

/** A divider is only useful between two pieces of content in the same message. */
function withoutEdgeDividers(blocks: KnownBlock[]): KnownBlock[] {
  let start = 0;
  let end = blocks.length;
  while (start < end && blocks[start]?.type === 'divider') start += 1;
  while (end > start && blocks[end - 1]?.type === 'divider') end -= 1;
  return blocks.slice(start, end);
}

/**
 * Packs groups into pages of at most 50 blocks (49 after the first). A group that does not fit in the
 * current page starts a new one when it would fit there whole; larger groups flow block by block.
 * Order is preserved, so the last group (questions, buttons, context line) always ends the last page.
 */
function paginate(groups: BlockGroup[]): KnownBlock[][] {
  const pages: KnownBlock[][] = [[]];
  const capacityOf = (pageIndex: number) =>
    pageIndex === 0 ? RENDER_LIMITS.blocksPerMessage : CONTINUATION_CAPACITY;
  const current = (): KnownBlock[] => pages[pages.length - 1] ?? [];
  const room = () => capacityOf(pages.length - 1) - current().length;
  // Slack also refuses a message whose blocks hold too much text in all (msg_blocks_too_long).
  const textRoom = () => MESSAGE_TEXT_BUDGET - blockTextLength(current());
  for (const group of groups) {
    const groupText = blockTextLength(group);
    const fitsWhole = group.length <= CONTINUATION_CAPACITY && groupText <= MESSAGE_TEXT_BUDGET;
    if ((group.length > room() || groupText > textRoom()) && fitsWhole && current().length > 0)
      pages.push([]);
    for (const block of group) {
      if (room() === 0 || (blockTextLength(block) > textRoom() && current().length > 0)) pages.push([]);
      current().push(block);
    }
  }
  return pages.map(withoutEdgeDividers).filter((page) => page.length > 0);
}

/** Plain-ish fallback for a continuation message: its own text, so notifications are not all alike. */
function continuationFallback(blocks: KnownBlock[], prefix: string): string {
  const content = blocks
    .map((b) => (b.type === 'section' && b.text !== undefined ? b.text.text : ''))
    .filter((t) => t.length > 0)
    .join('\n');
  return truncate(`${prefix}: ${content}`, RENDER_LIMITS.fallbackText);
}

function continuationLine(agentName: string, page: number, total: number): ContextBlock {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `*Architecture review* by ${escapeMrkdwn(agentName)} (continued ${page}/${total})`,
          RENDER_LIMITS.contextText,
        ),
      },
    ],
  };
}

/**
 * Renders a review as one Slack message, or several when it exceeds Slack's 50-block limit. The first
 * message holds the header and summary; the clarifying-question buttons and the context line always
 * come last, so they sit where the review ends.
 */
export function renderReview(review: Review, meta: ReviewMeta): SlackMessage[] {
  const divider: KnownBlock = { type: 'divider' };
  const summary = escapeMrkdwn(review.summary).trim() || '_No summary given._';
  const opening: BlockGroup = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`Architecture review — ${meta.agentName}`, RENDER_LIMITS.headerText),
        emoji: true,
      },
    },
    ...(review.whatChanged?.trim()
      ? sectionBlocks(titled('What changed', [escapeMrkdwn(review.whatChanged).trim()]))
      : []),
    ...sectionBlocks(summary),
  ];
  const middle: BlockGroup[] = [
    architectureText(review.recommendedArchitecture),
    decisionsText(review.decisions),
    alternativesText(review.alternatives),
    risksText(review.risks),
    roadmapText(review.roadmap),
    technologiesText(review.technologies),
    titled('Scalability & performance', [escapeMrkdwn(review.scalability).trim()]),
    titled('Security & compliance', [escapeMrkdwn(review.security).trim()]),
  ]
    .filter((text) => text.length > 0)
    .map((text) => [divider, ...sectionBlocks(text)]);
  const actions = questionActions(review.clarifyingQuestions, meta.requestId);
  const agentMenu = askAnotherAgentActions(meta.otherAgents ?? [], meta.requestId);
  const questions = sectionBlocks(questionsText(review.clarifyingQuestions));
  const closing: BlockGroup = [
    ...(questions.length > 0 ? [divider, ...questions] : []),
    ...(actions ? [actions] : []),
    ...(agentMenu ? [agentMenu] : []),
    metaContext(meta),
  ];

  const pages = paginate([opening, ...middle, closing]);
  const total = pages.length;
  return pages.map((blocks, i) => {
    if (i === 0) {
      const text = `Architecture review by ${escapeMrkdwn(meta.agentName)}: ${summary}`;
      return { text: truncate(text, RENDER_LIMITS.fallbackText), blocks };
    }
    const prefix = `Architecture review by ${escapeMrkdwn(meta.agentName)} (continued ${i + 1}/${total})`;
    return {
      text: continuationFallback(blocks, prefix),
      blocks: [continuationLine(meta.agentName, i + 1, total), ...blocks],
    };
  });
}
