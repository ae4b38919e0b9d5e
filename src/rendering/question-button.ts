import { z } from 'zod';
import { decodeInteractionValue } from './interaction-values';
import { safePrefix } from './mrkdwn';
import { RENDER_LIMITS } from './slack-message';

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
