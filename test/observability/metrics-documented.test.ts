import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Counter, Gauge, Histogram } from 'prom-client';
import { METRICS } from '../../src/observability/metric-catalog';
import { ArchitectMetrics } from '../../src/observability/metrics';
import { metricsTable } from '../../src/observability/metrics-docs';

const declared = Object.values(METRICS);

/** Every declared series with one sample, each declared label set to a documented value or an example. */
async function exposition(): Promise<string> {
  const metrics = new ArchitectMetrics({ processMetrics: false, queueCounts: async () => ({}) });
  for (const { name, labels } of declared) {
    const series = metrics.registry.getSingleMetric(name);
    const values = Object.fromEntries(
      Object.entries(labels).map(([label, documented]) => [label, documented[0] ?? 'example']),
    );
    // Adding 0 exposes the labelled series without counting anything.
    if (series instanceof Counter || series instanceof Gauge) series.inc(values, 0);
    if (series instanceof Histogram) series.zero(values);
  }
  return (await metrics.render()).body;
}

/** The label names and values of each sample line of `name` (its exact name, not a prefix). */
function samples(text: string, name: string): Record<string, string>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v])));
}

describe('README documents the metrics the catalog declares', () => {
  it('README’s metrics table is the one the catalog describes (npm run docs:metrics rewrites it)', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(metricsTable());
  });

  it.each(declared)('$name has a help line and a description a newcomer can read', (metric) => {
    expect(metric.help.length).toBeGreaterThan(10);
    expect(metric.description.length).toBeGreaterThan(10);
  });
});

describe('ArchitectMetrics exposes exactly the metrics the catalog declares', () => {
  let text: string;
  beforeAll(async () => {
    text = await exposition();
  });

  it.each(declared)('$name is exposed as a $type with its help', ({ name, type, help }) => {
    expect(text).toContain(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
  });

  it.each(declared)('$name takes its declared labels', ({ name, type, labels }) => {
    const series = samples(text, type === 'histogram' ? `${name}_count` : name);
    expect(series.length).toBeGreaterThan(0);
    for (const sample of series) expect(Object.keys(sample).sort()).toEqual(Object.keys(labels).sort());
  });

  it.each(declared.filter((m) => m.type === 'histogram'))('$name has its declared buckets', (metric) => {
    const bounds = samples(text, `${metric.name}_bucket`).map((sample) => sample.le);
    expect(bounds).toEqual([...metric.buckets.map(String), '+Inf']);
  });

  it('exposes no architect_ metric the catalog does not declare', () => {
    const exposed = [...text.matchAll(/^# TYPE (architect_\w+) /gm)].map(([, name]) => name);
    expect(exposed.sort()).toEqual(declared.map((m) => m.name).sort());
  });
});
