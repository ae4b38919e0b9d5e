import { z } from 'zod';

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

/** The "Answer questions" button: every open question of one review. */
export const AnswerQuestionsValueSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1).max(100),
});
export type AnswerQuestionsValue = z.infer<typeof AnswerQuestionsValueSchema>;

/** One option of the "Ask another agent" menu: re-run this review's request with that agent. */
export const AskAgentValueSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1).max(100),
  agent: z.string().min(1).max(100),
});
export type AskAgentValue = z.infer<typeof AskAgentValueSchema>;

/** What an answer modal carries in private_metadata (≤ 3,000 characters): which questions it asks. */
export const AnswerModalMetadataSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1).max(100),
  indexes: z.array(z.number().int().min(0).max(100)).min(1).max(25),
});
export type AnswerModalMetadata = z.infer<typeof AnswerModalMetadataSchema>;

/** What the "Review with Architect" modal carries in private_metadata: the message to review. */
export const ReviewModalMetadataSchema = z.object({
  v: z.literal(1),
  channelId: z.string().regex(/^[A-Z0-9]+$/),
  messageTs: z.string().regex(/^\d+\.\d+$/),
  /** The shortcut's response_url: it reaches the person even where the bot cannot post. */
  responseUrl: z.string().url().max(500).optional(),
});
export type ReviewModalMetadata = z.infer<typeof ReviewModalMetadataSchema>;
