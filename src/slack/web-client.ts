import {
  type FetchFunction,
  LogLevel,
  type WebAPICallResult,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import type { Logger } from '../logger';
import { currentIntent } from './call-priority';
import type { SlackCallScheduler } from './call-scheduler';
import { toSlackLogger } from './slack-logger';

/**
 * The Web API client the process uses outside Bolt. @slack/web-api retries a failed call for about 30 minutes by
 * default; a consultation must instead fail within a bounded time so the user hears about it, so calls
 * get a timeout and a short retry policy. With a scheduler, every call waits for the workspace's budget
 * first, and a 429 is the scheduler's to wait out (holding only its method), not the client's.
 */
export function createSlackWebClient(opts: {
  /** Absent for OAuth mode's client that only carries the options; each call then names its token. */
  token: string | undefined;
  apiUrl: string | undefined;
  timeoutMs: number;
  logger: Logger;
  fetch?: FetchFunction;
  scheduler?: SlackCallScheduler;
}): WebClient {
  const options = webClientOptions(opts);
  if (!opts.scheduler) return new WebClient(opts.token, options);
  return new ScheduledWebClient(opts.token, options, opts.scheduler);
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

/**
 * A WebClient whose every method (they all go through apiCall) is sent through the scheduler, at the
 * priority its caller set (call-priority.ts). A 429 is handed to the scheduler rather than paused on:
 * @slack/web-api would otherwise pause the client's whole queue, deliveries included.
 */
class ScheduledWebClient extends WebClient {
  constructor(
    token: string | undefined,
    options: WebClientOptions,
    private readonly scheduler: SlackCallScheduler,
  ) {
    super(token, { ...options, rejectRateLimitedCalls: true });
  }

  override apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const token = typeof options.token === 'string' ? options.token : (this.token ?? '');
    const channel = typeof options.channel === 'string' ? options.channel : undefined;
    return this.scheduler.run({ token, method, ...(channel ? { channel } : {}) }, currentIntent(), () =>
      super.apiCall(method, options),
    );
  }
}
