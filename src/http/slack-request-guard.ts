import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { readBody } from './read-body';

/** Why a request to /slack/events was refused before Bolt saw it, with the HTTP status to answer. */
export type GuardRefusal = { status: 400 | 401 | 413; reason: string };
export type GuardResult = { ok: true; rawBody: Buffer } | { ok: false; refusal: GuardRefusal };

export interface SlackRequestGuardOptions {
  signingSecret: string;
  bodyLimitBytes: number;
  /** Slack's own guidance: refuse requests more than five minutes old (or, here, in the future). */
  maxClockSkewSeconds?: number;
  now?: () => number;
}

/**
 * Checks a request to /slack/events before Bolt parses it: size, signature, timestamp within five
 * minutes either way (Bolt accepts an hour into the future), and a body Bolt can parse without
 * crashing (Bolt 5.1 exits the process on a signed JSON `null` and answers 500 to unparsable payloads).
 */
export async function guardSlackRequest(
  req: IncomingMessage,
  options: SlackRequestGuardOptions,
): Promise<GuardResult> {
  const body = await readBody(req, options.bodyLimitBytes);
  if (!body) return refuse(413, 'request body too large');
  const text = body.toString('utf8');
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();

  if (contentType === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1') {
    return { ok: true, rawBody: Buffer.from('ssl_check=1') };
  }
  const signatureProblem = checkSignature(req, text, options);
  if (signatureProblem) return refuse(401, signatureProblem);
  const shapeProblem = checkShape(contentType, text);
  if (shapeProblem) return refuse(400, shapeProblem);
  return { ok: true, rawBody: body };
}

function refuse(status: GuardRefusal['status'], reason: string): GuardResult {
  return { ok: false, refusal: { status, reason } };
}

function checkSignature(
  req: IncomingMessage,
  body: string,
  options: SlackRequestGuardOptions,
): string | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestampHeader = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestampHeader !== 'string')
    return 'missing signature headers';
  const timestamp = Number(timestampHeader);
  if (!Number.isInteger(timestamp)) return 'malformed timestamp';
  const nowSeconds = Math.floor((options.now?.() ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.maxClockSkewSeconds ?? 300))
    return 'timestamp too far from now';
  const expected = `v0=${createHmac('sha256', options.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 'signature mismatch';
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A body Bolt can dispatch: a JSON object, a form with a JSON-object payload, or a slash command form. */
function checkShape(contentType: string | undefined, text: string): string | undefined {
  if (contentType === 'application/json') {
    const body = parseJson(text);
    return isObject(body) && typeof body.type === 'string' ? undefined : 'body is not a Slack event object';
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(text);
    if (typeof form.payload === 'string') {
      const payload = parseJson(form.payload);
      return isObject(payload) && typeof payload.type === 'string'
        ? undefined
        : 'payload is not a Slack interaction object';
    }
    return typeof form.command === 'string'
      ? undefined
      : 'form is neither a slash command nor an interaction';
  }
  return 'unsupported content type';
}
