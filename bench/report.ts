import type { AckKind, AckProfile } from './phases/ack';
import type { MemoryUse, Responsiveness, WorkerThroughput } from './phases/app';
import type { Burst } from './phases/burst';
import type { Costs, RequestCost } from './phases/costs';
import type { Floors } from './phases/floors';
import type { VerdictTiming } from './phases/verdict';
import type { Percentiles } from './stats';
import { round } from './stats';

/** One line of the table: a figure, its floor, their ratio, and the target for it. */
export interface Figure {
  id: string;
  label: string;
  unit: 'ms' | 'per s' | 'MB' | 'calls' | 'reviews';
  value: number;
  /** What the same work costs without Architect (bare Bolt, raw BullMQ, or the ideal); null when none applies. */
  floor: number | null;
  floorLabel: string | null;
  /** value / floor. */
  ratio: number | null;
  /** The target as words, e.g. "≤ 1.5× floor"; null when the issue sets none. */
  target: string | null;
  pass: boolean | null;
}

export interface Measurements {
  floors: Floors;
  responsiveness: Responsiveness;
  throughput: { slowModel: WorkerThroughput[]; zeroLatency: WorkerThroughput };
  memory: MemoryUse;
  verdict: VerdictTiming;
  burst: Burst;
}

type Target = { text: string; met: (value: number, ratio: number | null) => boolean };
const under = (limit: number, unit: string): Target => ({
  text: `< ${limit} ${unit}`,
  met: (v) => v < limit,
});
const ratioAtMost = (max: number): Target => ({
  text: `≤ ${max}× floor`,
  met: (_v, r) => r !== null && r <= max,
});
const ratioAtLeast = (min: number, of: string): Target => ({
  text: `≥ ${Math.round(min * 100)}% of ${of}`,
  met: (_v, r) => r !== null && r >= min,
});

function figure(
  id: string,
  label: string,
  unit: Figure['unit'],
  value: number,
  floor: { value: number; label: string } | null,
  target: Target | null = null,
): Figure {
  const ratio = floor && floor.value > 0 ? round(value / floor.value) : null;
  return {
    id,
    label,
    unit,
    value,
    floor: floor?.value ?? null,
    floorLabel: floor?.label ?? null,
    ratio,
    target: target?.text ?? null,
    pass: target ? target.met(value, ratio) : null,
  };
}

const KIND_LABEL: Record<AckKind, string> = { slashCommand: 'slash-command', event: 'event' };

function ackFigures(app: AckProfile, floor: AckProfile): Figure[] {
  const out: Figure[] = [];
  for (const kind of ['slashCommand', 'event'] as const) {
    for (const inFlight of Object.keys(app[kind])) {
      const a = app[kind][inFlight] as Percentiles;
      const f = floor[kind][inFlight] as Percentiles;
      for (const p of ['p50', 'p95', 'p99'] as const) {
        let target: Target | null = null;
        if (p === 'p99') target = inFlight === '1' ? under(10, 'ms') : ratioAtMost(1.5);
        out.push(
          figure(
            `ack.${kind}.inFlight${inFlight}.${p}`,
            `${KIND_LABEL[kind]} ack ${p}, ${inFlight} in flight`,
            'ms',
            a[p],
            { value: f[p], label: 'bare Bolt' },
            target,
          ),
        );
      }
    }
  }
  return out;
}

/** The hop every consultation pays before its worker can post anything: an ack plus a queue pickup. */
function hopFloor(floors: Floors, p: 'p50' | 'p95'): { value: number; label: string } {
  const ack = floors.bareBoltAck.event['1'] as Percentiles;
  return { value: round(ack[p] + floors.rawBullmq.pickupMs[p]), label: 'bare-Bolt ack + BullMQ pickup' };
}

/** Request → verdict visible, and → reply delivered, each next to the model's own time to write it. */
function verdictFigures(v: VerdictTiming): Figure[] {
  const review = `${v.reviewOutputTokens.toLocaleString('en-US')}-token review at ${v.tokensPerSec} tokens/s`;
  const out: Figure[] = [];
  for (const p of ['p50', 'p95'] as const) {
    out.push(
      figure(
        `verdict.${p}`,
        `request → verdict visible ${p}, ${review}`,
        'ms',
        v.verdictVisibleMs[p],
        { value: v.modelVerdictMs[p], label: "model's own time to the verdict" },
        // The verdict is shown as soon as the model has written it, not at a progress clock's next tick.
        { text: '≤ model + 150 ms', met: (value) => value <= v.modelVerdictMs[p] + 150 },
      ),
    );
  }
  out.push(
    figure('verdictReply.p50', `request → reply delivered p50, ${review}`, 'ms', v.replyMs.p50, {
      value: v.modelReviewMs.p50,
      label: "model's own time to the whole review",
    }),
  );
  return out;
}

/**
 * The design-review day: reviews delivered, Slack's 429s and request → reply, per layout, next to the
 * model's own time (the targets: every review, at most 3 refusals, p95 within the model + 10 s).
 */
function burstFigures(b: Burst): Figure[] {
  return b.runs.flatMap((r) => {
    const what = `burst of ${r.requests} over ${b.channels} channels, ${r.layout}`;
    const model = { value: r.modelMs, label: "model's own time" };
    const limited = Object.values(r.limitedCalls).reduce((n, c) => n + c, 0);
    return [
      figure(
        `burst.${slug(r.layout)}.delivered`,
        `reviews delivered exactly once, ${what}`,
        'reviews',
        r.delivered,
        { value: r.requests, label: 'requests' },
        { text: '= requests, none doubled', met: (v) => v === r.requests && r.doubled === 0 },
      ),
      figure(
        `burst.${slug(r.layout)}.accepted`,
        `calls to rate-limited methods Slack accepted (${r.rateLimitedTotal} answered 429), ${what}`,
        'calls',
        limited - r.rateLimitedTotal,
        { value: limited, label: 'calls made' },
        { text: '≤ 3 answered 429', met: () => r.rateLimitedTotal <= 3 },
      ),
      figure(`burst.${slug(r.layout)}.reply.p50`, `request → reply p50, ${what}`, 'ms', r.replyMs.p50, model),
      figure(
        `burst.${slug(r.layout)}.reply.p95`,
        `request → reply p95, ${what}`,
        'ms',
        r.replyMs.p95,
        model,
        {
          text: '≤ model + 10 s',
          met: (v) => v <= r.modelMs + 10_000,
        },
      ),
    ];
  });
}

const slug = (layout: string) => layout.replace(/[^a-z0-9]+/gi, '-');

export function buildFigures(m: Measurements): Figure[] {
  const { floors, responsiveness: r, throughput, memory } = m;
  const figures = ackFigures(r.ack, floors.bareBoltAck);
  figures.push(
    figure(
      'placeholder.p50',
      'request → placeholder p50',
      'ms',
      r.placeholderMs.p50,
      hopFloor(floors, 'p50'),
    ),
    figure(
      'placeholder.p95',
      'request → placeholder p95',
      'ms',
      r.placeholderMs.p95,
      hopFloor(floors, 'p95'),
      under(300, 'ms'),
    ),
    figure(
      'overhead.p50',
      'pipeline overhead p50',
      'ms',
      r.overheadMs.p50,
      hopFloor(floors, 'p50'),
      under(100, 'ms'),
    ),
    figure('overhead.p95', 'pipeline overhead p95', 'ms', r.overheadMs.p95, hopFloor(floors, 'p95')),
  );
  for (const t of throughput.slowModel) {
    figures.push(
      figure(
        `throughput.concurrency${t.workerConcurrency}`,
        `worker consultations/s, ${t.modelLatencyMs / 1000} s model, WORKER_CONCURRENCY ${t.workerConcurrency}`,
        'per s',
        t.perSec,
        t.idealPerSec === null ? null : { value: t.idealPerSec, label: 'ideal concurrency/latency' },
        ratioAtLeast(0.9, 'ideal'),
      ),
    );
  }
  const z = throughput.zeroLatency;
  figures.push(
    figure(
      'throughput.zeroLatency',
      `end-to-end consultations/s, 0 ms model, WORKER_CONCURRENCY ${z.workerConcurrency}`,
      'per s',
      z.perSec,
      {
        value: floors.rawBullmq.jobsPerSec,
        label: `raw BullMQ no-op jobs/s (c=${floors.rawBullmq.concurrency})`,
      },
      ratioAtLeast(0.3, 'raw BullMQ'),
    ),
    figure(
      'memory.peakRss',
      `peak RSS, ${memory.consultations} in flight × ${memory.threadMessages}-message threads`,
      'MB',
      memory.peakRssMb,
      { value: floors.bareBoltPeakRssMb, label: 'bare Bolt peak RSS' },
      under(300, 'MB'),
    ),
    ...verdictFigures(m.verdict),
    ...burstFigures(m.burst),
  );
  return figures;
}

const fmt = (n: number | null, digits = 1): string => (n === null ? '—' : n.toFixed(digits));

/** The table printed at the end of a run; Markdown, so it pastes into the README as it is. */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.label,
    `${fmt(f.value)} ${f.unit}`,
    f.floor === null ? '—' : `${fmt(f.floor)} (${f.floorLabel})`,
    f.ratio === null ? '—' : `${fmt(f.ratio, 2)}×`,
    f.target ?? '—',
    f.pass === null ? '' : f.pass ? 'pass' : 'MISS',
  ]);
  const header = ['figure', 'value', 'floor', 'ratio', 'target', ''];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const usd = (n: number | null): string => (n === null ? '—' : `$${n.toFixed(4)}`);
const count = (n: number): string => n.toLocaleString('en-US');

/** The burst's details per layout: Slack's refusals by method and how long the progress took to clear. */
export function renderBurstTable(b: Burst): string {
  const header = [
    'layout',
    'delivered',
    'doubled',
    '429s by method',
    'limited calls by method',
    'placeholder p50 / p95',
    'reply p50 / p95',
    'model',
    'progress cleared',
  ];
  const byMethod = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([m, n]) => `${m} ×${n}`)
      .join(', ') || 'none';
  const rows = b.runs.map((r) => [
    r.layout,
    `${r.delivered}/${r.requests}`,
    String(r.doubled),
    byMethod(r.rateLimited),
    byMethod(r.limitedCalls),
    `${fmt(r.placeholderMs.p50 / 1000)} / ${fmt(r.placeholderMs.p95 / 1000)} s`,
    `${fmt(r.replyMs.p50 / 1000)} / ${fmt(r.replyMs.p95 / 1000)} s`,
    `${fmt(r.modelMs / 1000)} s`,
    `${fmt(r.drainedSec)} s`,
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Tokens and dollars per review and per follow-up, per PROMPT_CACHE_TTL; Markdown, like the table above. */
export function renderCostTable(costs: Costs): string {
  const row = (request: string, ttl: string, c: RequestCost): string[] => [
    request,
    ttl,
    count(c.tokens.input),
    count(c.tokens.cacheWrite5m + c.tokens.cacheWrite1h),
    count(c.tokens.cacheRead),
    count(c.tokens.output),
    usd(c.usd),
    usd(c.uncachedUsd),
  ];
  const rows = costs.byTtl.flatMap((t) => [
    row('review (nothing cached)', t.ttl, t.review),
    ...t.followUps.map((f) => row(`follow-up ${f.afterMinutes} min later`, t.ttl, f.cost)),
  ]);
  const model = costs.byTtl[0]?.review.model ?? '?';
  const header = [
    'request',
    'PROMPT_CACHE_TTL',
    'input',
    'cache write',
    'cache read',
    'output',
    model,
    'uncached',
  ];
  const table = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const ratios = costs.byTtl.flatMap((t) =>
    t.followUps.map((f) =>
      t.review.usd && f.cost.usd
        ? `a follow-up ${f.afterMinutes} min later (PROMPT_CACHE_TTL=${t.ttl}) costs ${Math.round((f.cost.usd / t.review.usd) * 100)}% of the cold review`
        : '',
    ),
  );
  return [...table, '', ...ratios.filter(Boolean)].join('\n');
}
