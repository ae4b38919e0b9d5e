import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AnthropicFake } from '../test/fakes/anthropic-fake';
import { SlackApiFake } from '../test/fakes/slack-api-fake';
import { deleteKeysWithPrefix } from '../test/helpers/redis-keys';
import { buildChildren, ROOT } from './build';
import { BenchContext } from './context';
import { measureMemory, measureResponsiveness, measureThroughput } from './phases/app';
import { measureBurst } from './phases/burst';
import { type Costs, measureCosts, pricesUsed } from './phases/costs';
import { measureFloors } from './phases/floors';
import { measureVerdictTime } from './phases/verdict';
import {
  buildFigures,
  type Figure,
  type Measurements,
  renderBurstTable,
  renderCostTable,
  renderTable,
} from './report';
import { type BenchSize, SIZES } from './sizes';

export const DEFAULT_RESULTS_PATH = path.join(ROOT, 'bench', 'results.json');

export interface BenchResults {
  /** Bumped when the shape changes, so readers of old files can tell. */
  schema: 'architect-bench/2';
  size: BenchSize['name'];
  startedAt: string;
  durationSec: number;
  machine: { cpus: number; cpuModel: string; memoryMb: number; node: string; platform: string };
  settings: BenchSize;
  /** Every figure with its floor, ratio and target: what the table shows. */
  figures: Figure[];
  /** Everything measured, in full (all percentiles, counts, failures), for whoever digs deeper. */
  measurements: Measurements;
  /** Tokens and dollars per review and per follow-up, per PROMPT_CACHE_TTL. */
  costs: Costs;
  /** The list prices (USD per million tokens) the costs were worked out with. */
  prices: Record<string, unknown>;
  /** Consultations that ended in an error message instead of a review (should be 0). */
  failedConsultations: number;
}

export interface BenchOptions {
  size?: BenchSize['name'];
  resultsPath?: string;
  /** Progress lines; silent by default for programmatic use. */
  log?: (line: string) => void;
}

/**
 * Runs every phase against the loopback fakes and the real Redis, writes the results file and returns
 * it. Redis keys of the run are deleted and every child process stopped, whatever happens.
 */
export async function runBenchmark(options: BenchOptions = {}): Promise<BenchResults> {
  const size = SIZES[options.size ?? 'full'];
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  log(`compiling the measured processes (${size.name} run)`);
  buildChildren();
  const [slack, claude] = await Promise.all([SlackApiFake.start(), AnthropicFake.start()]);
  const ctx = new BenchContext(size, slack, claude, randomUUID().slice(0, 8), log);
  try {
    const measurements = await measureAll(ctx);
    const costs = await measureCosts(ctx);
    const results = toResults(size, started, measurements, costs);
    const file = options.resultsPath ?? DEFAULT_RESULTS_PATH;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    await ctx.stopAll();
    await Promise.all([slack.close(), claude.close()]);
    await Promise.all(ctx.prefixes.map((p) => deleteKeysWithPrefix(p)));
  }
}

async function measureAll(ctx: BenchContext): Promise<Measurements> {
  const floors = await measureFloors(ctx);
  const responsiveness = await measureResponsiveness(ctx);
  const throughput = await measureThroughput(ctx);
  const memory = await measureMemory(ctx);
  const verdict = await measureVerdictTime(ctx);
  const burst = await measureBurst(ctx);
  return { floors, responsiveness, throughput, memory, verdict, burst };
}

function toResults(size: BenchSize, started: number, m: Measurements, costs: Costs): BenchResults {
  const failed =
    m.responsiveness.failures +
    m.throughput.slowModel.reduce((n, t) => n + t.failures, 0) +
    m.throughput.zeroLatency.failures +
    m.memory.failures +
    m.verdict.failures +
    m.burst.runs.reduce((n, r) => n + r.requests - r.delivered, 0);
  return {
    schema: 'architect-bench/2',
    size: size.name,
    startedAt: new Date(started).toISOString(),
    durationSec: Math.round((Date.now() - started) / 100) / 10,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryMb: Math.round(os.totalmem() / 2 ** 20),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    settings: size,
    figures: buildFigures(m),
    measurements: m,
    costs,
    prices: pricesUsed(costs),
    failedConsultations: failed,
  };
}

export { renderBurstTable, renderCostTable, renderTable };
