import { type FetchFunction, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../logger';
import { toSlackLogger } from './slack-logger';

/**
 * The Web API client the process uses outside Bolt. @slack/web-api retries a failed call for about 30 minutes by
 * default; a consultation must instead fail within a bounded time so the user hears about it, so calls
 * get a timeout and a short retry policy (rate limits are still waited out, honouring Retry-After).
 */
export function createSlackWebClient(opts: {
  /** Absent for OAuth mode's client that only carries the options; each call then names its token. */
  token: string | undefined;
  apiUrl: string | undefined;
  timeoutMs: number;
  logger: Logger;
  fetch?: FetchFunction;
}): WebClient {
  return new WebClient(opts.token, webClientOptions(opts));
}

/** Options shared by every Slack client the app creates, so SLACK_API_URL reaches all of them. */
export function webClientOptions(opts: {
  apiUrl: string | undefined;
  timeoutMs: number;
  logger: Logger;
  /** Transport under every client, e.g. ArchitectMetrics#slackFetch, which counts calls by method. */
  fetch?: FetchFunction;
}): WebClientOptions {
  return {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    timeout: opts.timeoutMs,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5000, randomize: true },
    rejectRateLimitedCalls: false,
    logger: toSlackLogger(opts.logger.child({ component: 'slack-web-api' })),
    logLevel: LogLevel.WARN,
  };
}
