import { CALL_PRIORITIES } from '../slack/call-priority';

/**
 * Every metric Architect exposes, declared once. ArchitectMetrics builds its series from these entries
 * and README's metrics table is generated from them (`npm run docs:metrics`), so the code and the docs
 * cannot drift apart. Names, label names and buckets are what dashboards and alerts query: changing
 * one breaks them.
 */

/** The queue states reported by `architect_queue_jobs`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Token kinds as Claude bills them. */
export const TOKEN_KINDS = ['input', 'cache_write', 'cache_read', 'output'] as const;

/** How a Slack Web API request ended, the label of `architect_slack_calls_total`. */
export const SLACK_CALL_OUTCOMES = ['ok', 'error', 'ratelimited'] as const;

/** Why a request was refused before it reached the queue (keep the set small: every value is a series). */
export const REFUSAL_REASONS = ['rate_limit', 'cost_guard', 'not_allowed'] as const;

/**
 * Each label with the values README lists for it, in the order README shows them. An open set (agents,
 * models, Slack methods, outcomes explained in the description) lists none.
 */
export type MetricLabels<L extends string = string> = Readonly<Record<L, readonly string[]>>;

interface DeclarationBase<L extends string> {
  name: string;
  labels: MetricLabels<L>;
  /** Prometheus' HELP line. */
  help: string;
  /** README's "meaning" column, for someone writing a dashboard or an alert. */
  description: string;
}

export interface CounterDeclaration<L extends string = string> extends DeclarationBase<L> {
  type: 'counter';
}

export interface HistogramDeclaration<L extends string = string> extends DeclarationBase<L> {
  type: 'histogram';
  /** Upper bounds in seconds, chosen for the durations this histogram sees. */
  buckets: readonly number[];
}

export interface GaugeDeclaration<L extends string = string> extends DeclarationBase<L> {
  type: 'gauge';
}

export type MetricDeclaration<L extends string = string> =
  | CounterDeclaration<L>
  | HistogramDeclaration<L>
  | GaugeDeclaration<L>;

/** Keyed by the ArchitectMetrics field that holds each metric (the class must have one per key), in README's order. */
export const METRICS = {
  consultations: {
    name: 'architect_consultations_total',
    type: 'counter',
    labels: { trigger: [], agent: [], outcome: [] },
    help: 'Consultation attempts by trigger, agent and outcome (delivered, already_delivered, failed, error).',
    description:
      'consultation attempts; `outcome` is `delivered`, `already_delivered` (a retried job whose review was already posted), `failed` (the user was shown an error) or `error` (the attempt threw and BullMQ retries it)',
  },
  queueWait: {
    name: 'architect_queue_wait_seconds',
    type: 'histogram',
    labels: { trigger: [] },
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    help: 'Time from a consultation being queued to a worker starting its first attempt.',
    description: 'from queueing to a worker starting the first attempt',
  },
  modelTime: {
    name: 'architect_model_duration_seconds',
    type: 'histogram',
    labels: { model: [] },
    buckets: [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300],
    help: 'Time Claude took to produce a valid review (repair attempt included), by model.',
    description: "Claude's time for a delivered review, repair attempt included",
  },
  totalTime: {
    name: 'architect_consultation_duration_seconds',
    type: 'histogram',
    labels: { trigger: [], outcome: [] },
    buckets: [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600],
    help: 'Time from the Slack request to the review (or the error) being shown, by trigger and outcome.',
    description: 'from the Slack request to the review (or error) being shown',
  },
  queueJobs: {
    name: 'architect_queue_jobs',
    type: 'gauge',
    labels: { state: QUEUE_STATES },
    help: 'Consultation jobs in the queue by state, read from Redis at scrape time.',
    description: 'jobs in the queue; absent when Redis cannot be read',
  },
  claudeTokens: {
    name: 'architect_claude_tokens_total',
    type: 'counter',
    labels: { kind: TOKEN_KINDS, model: [] },
    help: 'Claude tokens used by delivered reviews, by kind (input, cache_write, cache_read, output) and model.',
    description: 'tokens of delivered reviews, as Claude reports them',
  },
  slackCalls: {
    name: 'architect_slack_api_calls_total',
    type: 'counter',
    labels: { method: [] },
    help: 'Slack Web API HTTP requests (retries included), by method.',
    description: 'Slack Web API HTTP requests (retries included) from every client of the process',
  },
  slackErrors: {
    name: 'architect_slack_api_errors_total',
    type: 'counter',
    labels: { method: [], error: [] },
    help: 'Slack Web API requests that failed, by method and error (Slack error code, ratelimited, http_NNN or request_error).',
    description: "failed ones: Slack's error code, `ratelimited`, `http_NNN` or `request_error`",
  },
  slackOutcomes: {
    name: 'architect_slack_calls_total',
    type: 'counter',
    labels: { method: [], outcome: SLACK_CALL_OUTCOMES },
    help: 'Slack Web API HTTP requests by method and outcome (ok, error, ratelimited).',
    description:
      "Slack Web API HTTP requests by outcome: `ok`, `error` (Slack's error or a failed request) or `ratelimited` (Slack answered 429; the budget should keep this at zero)",
  },
  slackBudgetWait: {
    name: 'architect_slack_budget_wait_seconds',
    type: 'histogram',
    labels: { priority: CALL_PRIORITIES },
    buckets: [0.005, 0.05, 0.25, 1, 2.5, 5, 10, 30, 60],
    help: 'Time a Slack call waited for its workspace budget, by priority (delivery, sign_of_life, first_output, progress).',
    description:
      'time a Slack call waited for the workspace’s shared budget before it was sent; a growing `delivery` wait means the workspace is past what its tiers sustain',
  },
  slackDropped: {
    name: 'architect_slack_progress_dropped_total',
    type: 'counter',
    labels: { method: [] },
    help: 'Progress updates dropped unsent because a newer state of the same message replaced them.',
    description:
      'progress updates dropped unsent while they waited for budget: a newer state of the message (or the review) replaced them',
  },
  refusals: {
    name: 'architect_refusals_total',
    type: 'counter',
    labels: { reason: REFUSAL_REASONS },
    help: 'Requests refused before queueing, by reason (rate_limit, cost_guard, not_allowed).',
    description: 'requests refused before queueing',
  },
  findings: {
    name: 'architect_review_findings_total',
    type: 'counter',
    labels: { verified: ['true', 'false', 'absence'] },
    help: 'Findings delivered, by whether their evidence quote (or ADR) was found in what Claude was given; absence: about something the design leaves out, which nothing can quote.',
    description:
      'findings delivered, by whether their quote was found in what Claude was given (`absence`: about what the design leaves out)',
  },
  feedback: {
    name: 'architect_review_feedback_total',
    type: 'counter',
    labels: { agent: [], kind: ['answer', 'review'], value: ['up', 'down'] },
    help: 'Feedback clicks on replies, by agent, kind (answer or review) and value (up or down).',
    description: '👍/👎 clicks on replies (each also recorded with the review: who, when, which way)',
  },
} as const satisfies Record<string, MetricDeclaration>;
