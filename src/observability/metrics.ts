import type { FetchFunction } from '@slack/web-api';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { requestPartOf } from '../queue/consultation-job';
import type { SchedulerObserver } from '../slack/call-scheduler';
import {
  type CounterDeclaration,
  type HistogramDeclaration,
  METRICS,
  type MetricDeclaration,
  type MetricLabels,
  QUEUE_STATES,
  type REFUSAL_REASONS,
  type TOKEN_KINDS,
} from './metric-catalog';

export { QUEUE_STATES } from './metric-catalog';
export type QueueState = (typeof QUEUE_STATES)[number];

/**
 * Why a request was refused before it reached the queue, the label of `architect_refusals_total`:
 * `rate_limit`, `cost_guard` or `not_allowed`.
 */
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Token kinds as Claude bills them. */
export type TokenKind = (typeof TOKEN_KINDS)[number];

type LabelOf<D extends MetricDeclaration> = Extract<keyof D['labels'], string>;

/** The prom-client series a catalog entry becomes, with its label names as a type. */
type SeriesOf<D extends MetricDeclaration> = D extends CounterDeclaration
  ? Counter<LabelOf<D>>
  : D extends HistogramDeclaration
    ? Histogram<LabelOf<D>>
    : Gauge<LabelOf<D>>;

/** One field per catalog entry, so a metric declared there and never built does not compile. */
type CatalogSeries = { readonly [K in keyof typeof METRICS]: SeriesOf<(typeof METRICS)[K]> };

export interface MetricsOptions {
  /** Job counts by state, read at scrape time (so every replica reports the shared queue's depth). */
  queueCounts?: () => Promise<Partial<Record<string, number>>>;
  /** Default process metrics (CPU, memory, event loop, GC); off only in tests that count series. */
  processMetrics?: boolean;
}

/** What the worker knows about a job when it starts it; a BullMQ Job satisfies this. */
export interface ObservedJob {
  data: unknown;
  /** When the job was added to the queue (ms since the epoch). */
  timestamp: number;
  attemptsMade: number;
}

/** Only the labels are read from job data here; the processor validates the rest. */
const JobLabelsSchema = z.object({
  trigger: z.string().catch('unknown'),
  agentName: z.string().catch('unknown'),
  requestedAt: z.number().optional().catch(undefined),
});

const SLACK_METHOD = /^[a-zA-Z]+(\.[a-zA-Z]+)+$/;
const SlackErrorBodySchema = z.object({ ok: z.literal(false), error: z.string().max(100) });

/** @slack/web-api does not export its response type, only the fetch signature that returns it. */
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const seconds = (ms: number) => Math.max(0, ms) / 1000;

/**
 * Architect's Prometheus metrics, on a registry of their own (not prom-client's global one) so that two
 * app instances in one process (tests, benchmarks) never share or clash over series.
 */
export class ArchitectMetrics implements CatalogSeries {
  readonly registry = new Registry();
  readonly consultations = this.counter(METRICS.consultations);
  readonly queueWait = this.histogram(METRICS.queueWait);
  readonly modelTime = this.histogram(METRICS.modelTime);
  readonly totalTime = this.histogram(METRICS.totalTime);
  readonly queueJobs: Gauge<'state'>;
  readonly claudeTokens = this.counter(METRICS.claudeTokens);
  readonly slackCalls = this.counter(METRICS.slackCalls);
  readonly slackErrors = this.counter(METRICS.slackErrors);
  readonly slackOutcomes = this.counter(METRICS.slackOutcomes);
  readonly slackBudgetWait = this.histogram(METRICS.slackBudgetWait);
  readonly slackDropped = this.counter(METRICS.slackDropped);
  readonly refusals = this.counter(METRICS.refusals);
  readonly findings = this.counter(METRICS.findings);
  readonly feedback = this.counter(METRICS.feedback);

  constructor(options: MetricsOptions = {}) {
    const { queueCounts, processMetrics = true } = options;
    this.queueJobs = new Gauge({
      ...this.configOf(METRICS.queueJobs),
      // A scrape must answer even when Redis does not: the series then go missing, which alerts can catch.
      async collect() {
        this.reset();
        if (!queueCounts) return;
        const counts = await queueCounts().catch(() => undefined);
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  private counter<L extends string>(declaration: CounterDeclaration<L>): Counter<L> {
    return new Counter(this.configOf(declaration));
  }

  private histogram<L extends string>(declaration: HistogramDeclaration<L>): Histogram<L> {
    return new Histogram({ ...this.configOf(declaration), buckets: [...declaration.buckets] });
  }

  /** Name, help and labels as declared, in this app's registry (every process and test has its own). */
  private configOf<L extends string>(declaration: MetricDeclaration<L>) {
    const { name, help, labels } = declaration;
    return { name, help, labelNames: labelNamesOf(labels), registers: [this.registry] };
  }

  /** Prometheus text exposition of every series. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Runs one consultation attempt and records its queue wait (first attempt only: a retry's wait
   * includes BullMQ's backoff), its outcome, and, when the user was shown something, its total time.
   */
  async observeConsultation<T extends string>(job: ObservedJob, run: () => Promise<T>): Promise<T> {
    const labels = JobLabelsSchema.safeParse(requestPartOf(job.data));
    const trigger = labels.success ? labels.data.trigger : 'unknown';
    const agent = labels.success ? labels.data.agentName : 'unknown';
    const requestedAt = labels.success ? labels.data.requestedAt : undefined;
    if (job.attemptsMade === 0) this.queueWait.observe({ trigger }, seconds(Date.now() - job.timestamp));
    try {
      const outcome = await run();
      this.consultations.inc({ trigger, agent, outcome });
      if (requestedAt !== undefined && outcome !== 'already_delivered') {
        this.totalTime.observe({ trigger, outcome }, seconds(Date.now() - requestedAt));
      }
      return outcome;
    } catch (error) {
      // The attempt threw: BullMQ retries it (or reports it as given up); counted so crash loops show.
      this.consultations.inc({ trigger, agent, outcome: 'error' });
      throw error;
    }
  }

  /** Claude's time and tokens for one delivered review. */
  recordClaude(
    model: string,
    durationMs: number,
    usage: { inputTokens: number; cacheWriteTokens: number; cacheReadTokens: number; outputTokens: number },
  ): void {
    this.modelTime.observe({ model }, seconds(durationMs));
    this.recordTokens(model, usage);
  }

  /** Tokens Claude billed, delivered or not: a failed attempt's are on the invoice too. */
  recordTokens(
    model: string,
    usage: { inputTokens: number; cacheWriteTokens: number; cacheReadTokens: number; outputTokens: number },
  ): void {
    const kinds: Record<TokenKind, number> = {
      input: usage.inputTokens,
      cache_write: usage.cacheWriteTokens,
      cache_read: usage.cacheReadTokens,
      output: usage.outputTokens,
    };
    for (const [kind, count] of Object.entries(kinds)) {
      if (count > 0) this.claudeTokens.inc({ kind, model }, count);
    }
  }

  /** Grounded and ungrounded findings of one delivered reply. */
  recordFindings(verified: number, unverified: number, aboutAbsence = 0): void {
    if (verified > 0) this.findings.inc({ verified: 'true' }, verified);
    if (unverified > 0) this.findings.inc({ verified: 'false' }, unverified);
    if (aboutAbsence > 0) this.findings.inc({ verified: 'absence' }, aboutAbsence);
  }

  /** One 👍 or 👎 on a reply. */
  recordFeedback(agent: string, kind: 'answer' | 'review', value: 'up' | 'down'): void {
    this.feedback.inc({ agent, kind, value });
  }

  /** A request refused by the rate limit or the cost guard (or the allow-lists). */
  recordRefusal(reason: RefusalReason): void {
    this.refusals.inc({ reason });
  }

  /**
   * A `fetch` for @slack/web-api's `fetch` option that counts every request and its failure by
   * method. It sits under the SDK, so it sees the clients Bolt creates as well as the worker's.
   */
  slackFetch(underlying: FetchFunction = globalThis.fetch): FetchFunction {
    return async (url, init) => {
      const method = slackMethodOf(url);
      this.slackCalls.inc({ method });
      let response: FetchResponse;
      try {
        response = await underlying(url, init);
      } catch (error) {
        this.slackErrors.inc({ method, error: 'request_error' });
        this.slackOutcomes.inc({ method, outcome: 'error' });
        throw error;
      }
      const error = await slackErrorOf(response);
      if (error) this.slackErrors.inc({ method, error });
      this.slackOutcomes.inc({
        method,
        outcome: error === undefined ? 'ok' : error === 'ratelimited' ? 'ratelimited' : 'error',
      });
      return response;
    };
  }

  /** What the Slack call scheduler reports: the waits for budget, and the progress dropped unsent. */
  slackScheduler(): SchedulerObserver {
    return {
      waited: (priority, ms) => this.slackBudgetWait.observe({ priority }, seconds(ms)),
      dropped: (method) => this.slackDropped.inc({ method }),
    };
  }
}

/** The label names in declaration order, typed as the declaration's keys. */
function labelNamesOf<L extends string>(labels: MetricLabels<L>): L[] {
  const names: L[] = [];
  for (const name in labels) names.push(name);
  return names;
}

/** `…/api/chat.postMessage` → `chat.postMessage`; anything else (file upload URLs) → `other`. */
function slackMethodOf(url: string | URL): string {
  try {
    const last = new URL(url).pathname.split('/').pop() ?? '';
    return SLACK_METHOD.test(last) ? last : 'other';
  } catch {
    return 'other';
  }
}

/** The failure a Slack response reports, read from a clone so the SDK still gets the body. */
async function slackErrorOf(response: FetchResponse): Promise<string | undefined> {
  if (response.status === 429) return 'ratelimited';
  if (response.status !== 200) return `http_${response.status}`;
  const cloneable = response as FetchResponse & { clone?: () => FetchResponse };
  if (typeof cloneable.clone !== 'function') return undefined;
  try {
    const parsed = SlackErrorBodySchema.safeParse(await cloneable.clone().json());
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}
