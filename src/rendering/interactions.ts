import { z } from 'zod';
import { safePrefix } from '../lib/mrkdwn';
import { RENDER_LIMITS } from './slack-message';

/**
 * Every id Slack hands back to the ingress (action_id, callback_id, block_id) and the codecs of the
 * values they carry: the one place a listener and a renderer agree on.
 */

// ---- action ids -------------------------------------------------------------------------------------

/** The action_id of every button and menu in the bot's messages. */
export const ActionId = {
  /** The button that opens one modal for every open question. */
  answerQuestions: 'answer_questions',
  /** The menu that re-runs the review with another agent. */
  askAnotherAgent: 'ask_another_agent',
  /** The Retry button of a failed consultation. */
  retry: 'retry_consultation',
  /** The button that opens the full review. */
  openFullReview: 'open_full_review',
  /** The button that opens the "Save as ADR" form for a review. */
  saveAsAdr: 'save_as_adr',
  /** 👍 / 👎 on a reply (feedback_buttons, or plain buttons where Slack refuses those). */
  feedback: 'review_feedback',
  /** The Home tab's Settings: opens the workspace's ADR repository form (admins only). */
  editAdrSettings: 'edit_adr_settings',
} as const;
/** Plain 👍/👎 buttons, where Slack refused the layout with feedback_buttons. */
export const feedbackButtonActionId = (vote: 'up' | 'down'): string => `review_feedback_${vote}`;
/** Matches both kinds of feedback control. */
export const FEEDBACK_ACTION_PATTERN = /^review_feedback(_up|_down)?$/;
/** The button for the clarifying question at `index`. */
export const clarifyQuestionActionId = (index: number): string => `clarify_question_${index}`;
/** Matches every clarifying-question button's action id. */
export const CLARIFY_QUESTION_ACTION_PATTERN = /^clarify_question_\d+$/;

// ---- views ------------------------------------------------------------------------------------------

/** The callback_id of every modal and shortcut. */
export const CallbackId = {
  answerModal: 'answer_questions_modal',
  fullReviewModal: 'full_review_modal',
  /** The message shortcut's, as manifest.yml declares it (a contract: never rename). */
  reviewShortcut: 'review_with_architect',
  reviewModal: 'review_with_architect_modal',
  adrModal: 'save_adr_modal',
  adrSettingsModal: 'adr_settings_modal',
} as const;

/**
 * The modals' inputs. Slack files an input's value under its block_id, then its action_id; one id
 * serves as both, except that each answer's block is numbered (answerBlockId).
 */
export const InputId = {
  agent: 'agent',
  note: 'note',
  answer: 'answer',
  rerun: 'rerun',
  adrTitle: 'adr_title',
  adrStatus: 'adr_status',
  adrDecision: 'adr_decision',
  adrContext: 'adr_context',
  settingsRepository: 'settings_repository',
  settingsAdrPath: 'settings_adr_path',
  settingsGithubToken: 'settings_github_token',
} as const;
/** The value of the "re-run the review" checkbox. */
export const RERUN_OPTION_VALUE = 'rerun';
export const answerBlockId = (index: number): string => `answer_${index}`;

// ---- values -----------------------------------------------------------------------------------------

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Decodes a JSON value that comes back in an interaction payload (a button value, a select option,
 * a view's private_metadata). Anyone can craft a payload, so every malformed value is reported, never thrown.
 */
export function decodeInteractionValue<T>(raw: unknown, schema: z.ZodType<T>, maxLength: number): Decoded<T> {
  if (typeof raw !== 'string') return { ok: false, reason: 'value is not a string' };
  if (raw.length === 0) return { ok: false, reason: 'value is empty' };
  if (raw.length > maxLength) return { ok: false, reason: 'value is longer than Slack allows' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'value does not have the expected shape' };
  return { ok: true, value: parsed.data };
}

/**
 * The "Full review" button and the feedback buttons: which stored review they are about. The values
 * below add to it; `v` lets a value posted by an older release be recognised (and refused politely).
 */
export const ReviewRefValueSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1).max(100),
});
export type ReviewRefValue = z.infer<typeof ReviewRefValueSchema>;

/** The "Answer questions" button: every open question of one review. */
export const AnswerQuestionsValueSchema = ReviewRefValueSchema;
export type AnswerQuestionsValue = z.infer<typeof AnswerQuestionsValueSchema>;

/** One option of the "Ask another agent" menu: re-run this review's request with that agent. */
export const AskAgentValueSchema = ReviewRefValueSchema.extend({
  agent: z.string().min(1).max(100),
});
export type AskAgentValue = z.infer<typeof AskAgentValueSchema>;

/** What an answer modal carries in private_metadata (≤ 3,000 characters): which questions it asks. */
export const AnswerModalMetadataSchema = ReviewRefValueSchema.extend({
  indexes: z.array(z.number().int().min(0).max(100)).min(1).max(25),
});
export type AnswerModalMetadata = z.infer<typeof AnswerModalMetadataSchema>;

/**
 * What a clarifying-question button carries back to us when clicked. Versioned so a button posted by an
 * older release can be recognised (and refused politely) after the format changes.
 */
export const QuestionButtonValueSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1),
  index: z.number().int().min(0),
  label: z.string(),
});
export type QuestionButtonValue = z.infer<typeof QuestionButtonValueSchema>;

export type DecodedQuestionButtonValue =
  | { ok: true; value: QuestionButtonValue }
  | { ok: false; reason: string };

/**
 * Encodes a button value, shortening the label until the JSON fits Slack's 2,000-char button value
 * limit (JSON escaping can make a label up to six times longer than it looks). The label is only a
 * reminder for the click handler; the request id and index are what identify the question.
 */
export function encodeQuestionButtonValue(value: QuestionButtonValue): string {
  const encode = (labelLength: number) =>
    JSON.stringify({ ...value, label: safePrefix(value.label, labelLength) });
  const full = encode(value.label.length);
  if (full.length <= RENDER_LIMITS.buttonValue) return full;
  // Binary search for the longest label prefix that fits; encoded length grows with prefix length.
  let fits = 0;
  let tooLong = value.label.length;
  while (tooLong - fits > 1) {
    const mid = Math.floor((fits + tooLong) / 2);
    if (encode(mid).length <= RENDER_LIMITS.buttonValue) fits = mid;
    else tooLong = mid;
  }
  return encode(fits);
}

/** Decodes a question button's value as it comes back in an interaction payload; never throws. */
export function decodeQuestionButtonValue(raw: string): DecodedQuestionButtonValue {
  return decodeInteractionValue(raw, QuestionButtonValueSchema, RENDER_LIMITS.buttonValue);
}

/** A feedback button: the review and the vote. */
export const FeedbackValueSchema = ReviewRefValueSchema.extend({
  vote: z.enum(['up', 'down']),
});
export type FeedbackValue = z.infer<typeof FeedbackValueSchema>;

/** What the "Save as ADR" form carries in private_metadata: the review, and the reply it was opened from. */
export const AdrModalMetadataSchema = ReviewRefValueSchema.extend({
  replyTs: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
});
export type AdrModalMetadata = z.infer<typeof AdrModalMetadataSchema>;

/** What the "Review with Architect" modal carries in private_metadata: the message to review. */
export const ReviewModalMetadataSchema = z.object({
  v: z.literal(1),
  channelId: z.string().regex(/^[A-Z0-9]+$/),
  messageTs: z.string().regex(/^\d+\.\d+$/),
  /** The shortcut's response_url: it reaches the person even where the bot cannot post. */
  responseUrl: z.string().url().max(500).optional(),
});
export type ReviewModalMetadata = z.infer<typeof ReviewModalMetadataSchema>;
