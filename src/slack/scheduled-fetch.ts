import { type FetchFunction, ErrorCode as SlackErrorCode } from '@slack/web-api';
import { currentIntent } from './call-priority';
import type { SlackCallScheduler } from './call-scheduler';

type FetchInit = Parameters<FetchFunction>[1];
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * What the scheduler reads as Slack's 429: the shape of @slack/web-api's rate-limited error (not one of
 * Architect's coded errors: it never leaves scheduledFetch, which hands the client Slack's answer).
 */
class RateLimited extends Error {
  readonly code = SlackErrorCode.RateLimitedError;
  constructor(
    readonly retryAfter: number,
    readonly response: FetchResponse,
  ) {
    super(`Slack answered 429, retry after ${retryAfter} s`);
  }
}

/**
 * A `fetch` for the Slack clients Bolt builds itself (the ingress's), which cannot be given the
 * worker's scheduled client: each request to a budgeted method waits for its workspace's budget, and
 * a 429 holds only its method, in the scheduler, instead of pausing the client's whole queue. The
 * client's own timeout would run while the call waits, so the request gets a fresh one once it goes.
 */
export function scheduledFetch(
  scheduler: SlackCallScheduler,
  timeoutMs: number,
  underlying: FetchFunction = globalThis.fetch,
): FetchFunction {
  return async (url, init) => {
    const method = methodOf(url);
    if (!method || !scheduler.budgets(method)) return underlying(url, init);
    const token = bearerOf(init) ?? '';
    const channel = scheduler.countsPerChannel(method) ? channelOf(init) : undefined;
    try {
      return await scheduler.run(
        { token, method, ...(channel ? { channel } : {}) },
        currentIntent(),
        async () => {
          const response = await underlying(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
          if (response.status === 429) throw new RateLimited(retryAfterOf(response), response);
          return response;
        },
      );
    } catch (error) {
      // Still refused after the scheduler's retries: the client sees Slack's answer, as it would have.
      if (error instanceof RateLimited) return error.response;
      throw error;
    }
  };
}

function methodOf(url: string | URL): string | undefined {
  try {
    return new URL(url).pathname.split('/').pop() || undefined;
  } catch {
    return undefined;
  }
}

function bearerOf(init: FetchInit): string | undefined {
  const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
  const auth = headers.get('authorization');
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

/** The channel of a form-encoded Web API call (the only kind that names one per channel). */
function channelOf(init: FetchInit): string | undefined {
  const body = init?.body;
  if (typeof body !== 'string') return undefined;
  return new URLSearchParams(body).get('channel') ?? undefined;
}

function retryAfterOf(response: FetchResponse): number {
  const seconds = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}
