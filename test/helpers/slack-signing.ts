import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-8f3a';

/** Slack's v0 request signature: https://api.slack.com/authentication/verifying-requests-from-slack */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  contentType?: 'application/json' | 'application/x-www-form-urlencoded';
  headers?: Record<string, string>;
  /** Replace the computed signature (to send a wrong one). */
  signature?: string;
}

/** POSTs a body to the app the way Slack does: signed with the signing secret. */
export async function signedPost(
  url: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ?? slackSignature(options.secret ?? TEST_SIGNING_SECRET, timestamp, body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
}
