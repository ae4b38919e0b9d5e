import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BenchResults, runBenchmark } from '../../bench/benchmark';

/**
 * Keeps `npm run bench` from rotting: the smallest run must produce every figure and write its file.
 * It asserts no timing: a loaded CI machine may be slow, but it must never be silent or broken.
 */
describe('the benchmark, smoke-sized', () => {
  let dir: string;
  let results: BenchResults;
  let written: BenchResults;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'architect-bench-'));
    const file = path.join(dir, 'results.json');
    results = await runBenchmark({ size: 'smoke', resultsPath: file });
    written = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const positive = (n: number | null) => typeof n === 'number' && Number.isFinite(n) && n > 0;

  it('writes the results it returns', () => {
    expect(written).toEqual(results);
    expect(written.schema).toBe('architect-bench/2');
    expect(written.size).toBe('smoke');
  });

  it('produces every figure the issue asks for, each a finite positive number', () => {
    const ids = results.figures.map((f) => f.id);
    for (const kind of ['slashCommand', 'event']) {
      for (const inFlight of [1, 50]) {
        for (const p of ['p50', 'p95', 'p99']) expect(ids).toContain(`ack.${kind}.inFlight${inFlight}.${p}`);
      }
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        'placeholder.p50',
        'placeholder.p95',
        'overhead.p50',
        'overhead.p95',
        'throughput.concurrency25',
        'throughput.concurrency100',
        'throughput.zeroLatency',
        'memory.peakRss',
        'verdict.p50',
        'verdict.p95',
        'verdictReply.p50',
      ]),
    );
    for (const f of results.figures) {
      expect({ id: f.id, valueOk: positive(f.value) }).toEqual({ id: f.id, valueOk: true });
    }
  });

  it('sets every figure next to a measured floor, as a ratio', () => {
    for (const f of results.figures) {
      expect({ id: f.id, floorOk: positive(f.floor), ratioOk: positive(f.ratio) }).toEqual({
        id: f.id,
        floorOk: true,
        ratioOk: true,
      });
    }
    expect(positive(results.measurements.floors.rawBullmq.jobsPerSec)).toBe(true);
    expect(positive(results.measurements.floors.bareBoltPeakRssMb)).toBe(true);
  });

  it('judges each targeted figure without failing on a miss', () => {
    const judged = results.figures.filter((f) => f.target !== null);
    expect(judged.length).toBeGreaterThanOrEqual(10);
    for (const f of judged) expect(typeof f.pass).toBe('boolean');
  });

  it('times the verdict of a ~2,500-token review streamed a token at a time, next to the model’s own time', () => {
    const v = results.measurements.verdict;
    expect(v.reviewOutputTokens).toBeGreaterThan(2000);
    expect(v.reviewOutputTokens).toBeLessThan(3000);
    expect(v.verdictVisibleMs.count).toBe(results.settings.verdictConsultations);
    expect(v.modelVerdictMs.count).toBe(results.settings.verdictConsultations);
    expect(v.failures).toBe(0);
  });

  it('prices a review and its follow-ups from what the model was sent, for both cache TTLs', () => {
    const { byTtl } = results.costs;
    expect(byTtl.map((t) => t.ttl)).toEqual(['1h', '5m']);
    for (const t of byTtl) {
      const written = t.ttl === '1h' ? 'cacheWrite1h' : 'cacheWrite5m';
      const other = t.ttl === '1h' ? 'cacheWrite5m' : 'cacheWrite1h';
      // A review on an empty cache writes the agent prompt and the thread at the configured TTL.
      expect(t.review.tokens).toMatchObject({ cacheRead: 0, [other]: 0 });
      expect(t.review.tokens[written]).toBeGreaterThan(0);
      expect(t.review.tokens.output).toBe(results.costs.reviewOutputTokens);
      expect(t.review.usd).toBeGreaterThan(0);
      // Answered two minutes later, the follow-up reads all of that back from the cache.
      const [soon] = t.followUps;
      expect(soon?.afterMinutes).toBe(2);
      expect(soon?.cost.tokens.cacheRead).toBe(t.review.tokens[written]);
    }
    // Twenty minutes later only the hour-long cache is still there to read.
    const [hour, fiveMinutes] = byTtl;
    expect(hour?.followUps[1]?.cost.tokens.cacheRead).toBe(hour?.review.tokens.cacheWrite1h);
    expect(fiveMinutes?.followUps[1]?.cost.tokens.cacheRead).toBe(0);
    expect(hour?.followUps[1]?.cost.usd).toBeLessThan(fiveMinutes?.followUps[1]?.cost.usd ?? 0);
    expect(results.prices['claude-sonnet-5-5']).toMatchObject({ input: expect.any(Number) });
  });

  it('runs a burst in one workspace against a Slack enforcing its tiers, in both layouts', () => {
    const { burst } = results.measurements;
    expect(burst.runs.map((r) => r.layout)).toEqual(['one process', 'web + 2 workers']);
    for (const run of burst.runs) {
      expect(run).toMatchObject({ requests: results.settings.burstReviews, doubled: 0 });
      expect(run.delivered).toBe(run.requests);
      expect(run.replyMs.count).toBe(run.requests);
      expect(run.limitedCalls['chat.postMessage']).toBeGreaterThan(run.requests);
    }
  });

  it('runs its consultations to a review', () => {
    expect(results.failedConsultations).toBe(0);
    expect(results.measurements.memory.peakInFlightObserved).toBeGreaterThan(1);
  });
});
