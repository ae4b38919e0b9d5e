import type { ActionsBlock, Button, ContextActionsBlock, ContextBlock, KnownBlock } from '@slack/web-api';
import type { ClarifyingQuestion, GroundedFinding, GroundedReview } from '../domain/review';
import { SEVERITY_ORDER } from '../domain/review';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';
import { adrCitationLine } from './adr-citation';
import {
  ActionId,
  type AnswerQuestionsValue,
  type AskAgentValue,
  clarifyQuestionActionId,
  encodeQuestionButtonValue,
  type FeedbackValue,
  feedbackButtonActionId,
  type ReviewRefValue,
} from './interactions';
import { plainLine } from './plain-text';
import { formatDuration, type ReplyMeta } from './reply-meta';
import { SEVERITY_LABELS, VERDICT_LABELS } from './review-labels';
import { shortenMrkdwn } from './shorten';
import { blockTextLength, MESSAGE_TEXT_BUDGET, RENDER_LIMITS, type SlackMessage } from './slack-message';
import { markdownToMrkdwn, plainMrkdwn } from './slack-text';

export type { ReplyMeta } from './reply-meta';

/**
 * Every question gets its button (Slack allows 25 in an actions block); past ten the list stops being
 * read, and "Answer all questions" holds every one.
 */
export const MAX_QUESTION_BUTTONS = 10;
/** Slack's static_select takes up to 100 options. */
const MAX_AGENT_OPTIONS = 100;
/** Must-fix findings shown in the thread; the rest are counted and one click away. */
const MUST_FIX_SHOWN = 3;

/**
 * How much the reply in the thread holds. `compact` is the reply; `minimal` and `text` are what the
 * worker falls back to when Slack refuses a richer message, so a review is never lost to a layout.
 */
export type ReplyDetail = 'compact' | 'minimal' | 'text';

/** The TL;DR's cap in a follow-up, whose "What changed" comes first. */
const FOLLOW_UP_TLDR = 360;

/** Per-field caps of the compact reply: it is read in the thread, on a phone, before the full review. */
const CAPS = {
  compact: { tldr: 560, finding: 280, text: 600 },
  minimal: { tldr: 600, finding: 0, text: 600 },
  text: { tldr: 0, finding: 0, text: RENDER_LIMITS.fallbackText },
};

/**
 * The reply in the thread: the verdict and headline first, the TL;DR, at most three must-fix findings
 * (blockers first), a count of the rest, the questions as buttons, the full review one click away, and
 * feedback. Always one message, within Slack's 50 blocks and its cumulative text limit.
 */
export function renderReply(
  review: GroundedReview,
  meta: ReplyMeta,
  detail: ReplyDetail = 'compact',
): SlackMessage {
  const caps = CAPS[detail];
  const text = fallbackText(review, meta, caps.text);
  if (detail === 'text') return { text, blocks: [] };
  const [questionButtons, reviewControls] = controls(review, meta, detail);
  const blocks: KnownBlock[] = [
    // In a follow-up, what changed is the news: the TL;DR gives it room within two phone screens.
    ...opening(review, review.whatChanged ? Math.min(caps.tldr, FOLLOW_UP_TLDR) : caps.tldr),
    ...(detail === 'compact' ? findingBlocks(review, caps.finding) : []),
    // The first actions come right after what must change, so a phone reaches them on its second screen.
    reviewControls,
    ...(detail === 'compact' ? questionBlocks(review.clarifyingQuestions) : []),
    ...(questionButtons ? [questionButtons] : []),
    detail === 'compact' ? feedbackBlock(meta.requestId) : plainFeedbackButtons(meta.requestId),
    peopleContext(meta),
  ];
  const fitted = fitToBudget(blocks);
  return { text, blocks: fitted };
}

/** A heading that opens a field ("## Summary") titles what the reply already titles: it goes. */
const leadingHeading = (markdown: string) => markdown.replace(/^\s*#{1,6}\s+[^\n]*\n+/, '');

function opening(review: GroundedReview, tldrCap: number): KnownBlock[] {
  const tldr = shortenMrkdwn(markdownToMrkdwn(leadingHeading(review.tldr)), tldrCap);
  if (review.kind === 'answer') {
    return [section(`*${plainMrkdwn(plainLine(review.headline))}*\n${tldr}`)];
  }
  const verdict = VERDICT_LABELS[review.verdict ?? 'sound_with_changes'];
  const counts = severityCounts(review.findings);
  // The agent is named once, in the context line at the end.
  const summaryLine = [`*${verdict.label}*`, counts || 'no significant issues'].join(' · ');
  return [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: shortenMrkdwn(`${verdict.emoji} ${plainLine(review.headline)}`, RENDER_LIMITS.headerText),
        emoji: true,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: summaryLine }] },
    ...(review.whatChanged ? [section(whatChangedText(review.whatChanged))] : []),
    section(tldr),
  ];
}

/** A follow-up's changes, in the thread: the summary, what the answers resolved, what stands, what is new. */
function whatChangedText(changes: NonNullable<GroundedReview['whatChanged']>): string {
  const titles = (list: string[]) => list.map((t) => plainMrkdwn(plainLine(t))).join(' · ');
  const counts = [
    `*Still open:* ${changes.stillOpen.length}`,
    changes.new.length ? `*New:* ${changes.new.length}` : '',
  ].filter(Boolean);
  return [
    // Short: on a phone it sits above the TL;DR, and the full review holds all of it.
    `*What changed:* ${shortenMrkdwn(markdownToMrkdwn(changes.summary), 280)}`,
    [
      changes.resolved.length
        ? shortenMrkdwn(`:white_check_mark: *Resolved:* ${titles(changes.resolved)}`, 240)
        : '',
      ...counts,
    ]
      .filter(Boolean)
      .join(' · '),
  ]
    .filter(Boolean)
    .join('\n');
}

function severityCounts(findings: GroundedFinding[]): string {
  return SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(' · ');
}

function findingBlocks(review: GroundedReview, cap: number): KnownBlock[] {
  const sorted = [...review.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  // An answer shows its few points; a review shows what must change before building.
  const shown = (review.kind === 'answer' ? sorted : sorted.filter((f) => f.severity !== 'minor')).slice(
    0,
    MUST_FIX_SHOWN,
  );
  if (shown.length === 0) return [];
  const rest = sorted.length - shown.length;
  const restLine =
    rest > 0
      ? [
          context(
            `+ ${rest} more ${rest === 1 ? 'finding' : 'findings'} (${severityCounts(sorted.slice(shown.length))}) in the full review`,
          ),
        ]
      : [];
  return [
    { type: 'divider' },
    ...shown.map((f) => {
      const sev = SEVERITY_LABELS[f.severity];
      const head = `${sev.emoji} *${plainMrkdwn(plainLine(f.title))}*${review.kind === 'review' ? `  _${sev.label} · ${plainMrkdwn(plainLine(f.category))}_` : ''}`;
      const cites = f.adr ? `\n${adrCitationLine(f.adr)}` : '';
      return section(`${head}\n${shortenMrkdwn(markdownToMrkdwn(f.recommendation), cap)}${cites}`);
    }),
    ...restLine,
  ];
}

/**
 * The questions are their buttons: each label names the design's own unknown, and a click opens the
 * full question with a box for the answer. Listing the full questions here too would push the buttons
 * two phone screens down.
 */
function questionBlocks(questions: ClarifyingQuestion[]): KnownBlock[] {
  if (questions.length === 0) return [];
  const one = questions.length === 1;
  const more =
    questions.length > MAX_QUESTION_BUTTONS
      ? ` (${questions.length} in all: “Answer all questions” has every one)`
      : '';
  return [
    { type: 'divider' },
    section(`*The architect asks* — click ${one ? 'the question' : 'a question'} to answer it${more}`),
  ];
}

/** The question buttons (and "Answer all" when there are several), and the review's own controls. */
function controls(
  review: GroundedReview,
  meta: ReplyMeta,
  detail: ReplyDetail,
): [ActionsBlock | undefined, ActionsBlock] {
  const { requestId } = meta;
  const questions = review.clarifyingQuestions;
  const questionButtons =
    detail === 'compact'
      ? questions.slice(0, MAX_QUESTION_BUTTONS).flatMap((q, i) => questionButton(q, i, requestId))
      : [];
  // One question is its own button; "Answer all" earns its place when there are several, or when the
  // layout has no question buttons at all.
  const answerAll: Button[] =
    questions.length > 1 || (questions.length === 1 && questionButtons.length === 0)
      ? [
          button(
            questions.length > 1 ? 'Answer all questions' : 'Answer the question',
            ActionId.answerQuestions,
            {
              v: 1,
              requestId,
            } satisfies AnswerQuestionsValue,
          ),
        ]
      : [];
  const full = button(
    review.kind === 'answer' ? 'Full answer' : 'Full review',
    ActionId.openFullReview,
    { v: 1, requestId } satisfies ReviewRefValue,
    'primary',
  );
  // The team's decision often differs from the recommendation, so the form starts from it, editable.
  const saveAdr = button('Save as ADR', ActionId.saveAsAdr, { v: 1, requestId } satisfies ReviewRefValue);
  const menu = agentMenu(meta.otherAgents ?? [], requestId);
  const asked =
    questionButtons.length || answerAll.length
      ? ({ type: 'actions', elements: [...questionButtons, ...answerAll] } satisfies ActionsBlock)
      : undefined;
  return [asked, { type: 'actions', elements: [full, saveAdr, ...(menu ? [menu] : [])] } as ActionsBlock];
}

function questionButton(question: ClarifyingQuestion, index: number, requestId: string): Button[] {
  const label = plainLine(question.label) || `Question ${index + 1}`;
  const value = encodeQuestionButtonValue({ v: 1, requestId, index, label: question.label });
  // Only an absurdly long request id can overflow; a missing button beats a message Slack refuses.
  if (value.length > RENDER_LIMITS.buttonValue) return [];
  return [
    {
      type: 'button',
      // Between words when a label is over Slack's 75 characters: the click shows the whole question.
      text: { type: 'plain_text', text: shortenMrkdwn(label, RENDER_LIMITS.buttonText), emoji: true },
      action_id: clarifyQuestionActionId(index),
      value,
    },
  ];
}

function button(label: string, actionId: string, value: object, style?: 'primary'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label, emoji: true },
    action_id: actionId,
    value: JSON.stringify(value),
    ...(style ? { style } : {}),
  };
}

function agentMenu(agents: string[], requestId: string) {
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
    type: 'static_select' as const,
    action_id: ActionId.askAnotherAgent,
    placeholder: { type: 'plain_text' as const, text: 'Ask another agent…' },
    options,
  };
}

/** Slack's 👍/👎 element; the worker falls back to `minimal` (without it) where Slack refuses it. */
function feedbackBlock(requestId: string): ContextActionsBlock {
  const value = (vote: FeedbackValue['vote']) =>
    JSON.stringify({ v: 1, requestId, vote } satisfies FeedbackValue);
  return {
    type: 'context_actions',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: ActionId.feedback,
        positive_button: {
          text: { type: 'plain_text', text: 'Helpful' },
          value: value('up'),
          accessibility_label: 'This review was helpful',
        },
        negative_button: {
          text: { type: 'plain_text', text: 'Not helpful' },
          value: value('down'),
          accessibility_label: 'This review was not helpful',
        },
      },
    ],
  };
}

/** 👍/👎 as plain buttons: the shorter layout may be posted because Slack refused feedback_buttons. */
function plainFeedbackButtons(requestId: string): KnownBlock {
  const vote = (v: FeedbackValue['vote'], label: string) =>
    button(label, feedbackButtonActionId(v), { v: 1, requestId, vote: v } satisfies FeedbackValue);
  return { type: 'actions', elements: [vote('up', '👍 Helpful'), vote('down', '👎 Not helpful')] };
}

/** The context line is for people: agent, model, how long it took, and what was not read. */
function peopleContext(meta: ReplyMeta): ContextBlock {
  const line = [plainMrkdwn(meta.agentName), plainMrkdwn(meta.model), formatDuration(meta.durationMs)].join(
    ' · ',
  );
  const notes = (meta.notes ?? []).map((n) => plainMrkdwn(n)).join('\n');
  return {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: truncate(notes ? `${line}\n${notes}` : line, RENDER_LIMITS.contextText) },
    ],
  };
}

/**
 * The message's `text`: what a push notification, the thread list and search show. Plain words (no
 * Markdown markers, no "## Summary"), the verdict first, shortened between sentences or words.
 */
function fallbackText(review: GroundedReview, meta: ReplyMeta, cap: number): string {
  const verdict =
    review.kind === 'review' && review.verdict ? `${VERDICT_LABELS[review.verdict].label}: ` : '';
  const agent = ` (${escapeMrkdwn(plainLine(meta.agentName))})`;
  const body = escapeMrkdwn(
    `${verdict}${plainLine(review.headline)} — ${plainLine(review.tldr, { dropHeadings: true })}`,
  );
  return `${shortenMrkdwn(body, Math.min(cap, RENDER_LIMITS.fallbackText) - agent.length)}${agent}`;
}

function section(text: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: shortenMrkdwn(text, RENDER_LIMITS.sectionText) },
    expand: true,
  };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** Shortens the longest sections until the message is within Slack's cumulative text budget. */
function fitToBudget(blocks: KnownBlock[]): KnownBlock[] {
  const out = blocks.slice(0, RENDER_LIMITS.blocksPerMessage);
  while (blockTextLength(out) > MESSAGE_TEXT_BUDGET) {
    let longest = -1;
    let longestLength = 0;
    out.forEach((b, i) => {
      const length = b.type === 'section' ? (b.text?.text.length ?? 0) : 0;
      if (length > longestLength) [longest, longestLength] = [i, length];
    });
    const block = out[longest];
    if (block?.type !== 'section' || !block.text || longestLength < 200) break;
    out[longest] = {
      ...block,
      text: { ...block.text, text: shortenMrkdwn(block.text.text, Math.floor(longestLength * 0.7)) },
    };
  }
  return out;
}
