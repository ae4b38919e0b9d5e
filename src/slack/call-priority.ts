import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a Slack call is for, most urgent first. When the budget is short the call a person waits for
 * goes first: the review itself (and its notification), then the first sign of life (the placeholder,
 * the status line), then the first output (the verdict), then progress.
 */
export const CALL_PRIORITIES = ['delivery', 'sign_of_life', 'first_output', 'progress'] as const;
export type CallPriority = (typeof CALL_PRIORITIES)[number];

/**
 * The share of a method's budget each priority may fill: a lower priority leaves the rest of the
 * window to the ones above it, in every process, since the share is checked against the shared count.
 */
export const PRIORITY_SHARE: Record<CallPriority, number> = {
  delivery: 1,
  sign_of_life: 0.9,
  first_output: 0.8,
  progress: 0.6,
};

export interface CallIntent {
  priority: CallPriority;
  /** Aborted: the call is no longer wanted (a newer progress state replaced it); it is dropped unsent. */
  signal?: AbortSignal;
  /** Sent only if the budget allows it now; otherwise dropped unsent at once (the caller does it later). */
  noWait?: boolean;
}

const intent = new AsyncLocalStorage<CallIntent>();

/** Runs `fn` with its Slack calls made at `priority` (read by the scheduler when a call starts). */
export function atPriority<T>(
  priority: CallPriority,
  fn: () => T,
  options: { signal?: AbortSignal; noWait?: boolean } = {},
): T {
  return intent.run({ priority, ...options }, fn);
}

/** The intent of the Slack call being made now; a call made outside any is a delivery (never held back). */
export function currentIntent(): CallIntent {
  return intent.getStore() ?? { priority: 'delivery' };
}
