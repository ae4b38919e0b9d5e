import {
  type BenchResults,
  DEFAULT_RESULTS_PATH,
  renderBurstTable,
  renderCostTable,
  renderTable,
  runBenchmark,
} from './benchmark';
import type { BenchSize } from './sizes';

/**
 * `tsx bench/run.ts [--quick|--full|--smoke] [--out FILE]`: runs the benchmark, prints the table and
 * writes the results. A missed target is reported, not fatal: exit 1 only when the benchmark breaks.
 */
function parseArgs(argv: string[]): { size: BenchSize['name']; out: string } {
  let size: BenchSize['name'] = 'full';
  let out = DEFAULT_RESULTS_PATH;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') size = 'quick';
    else if (arg === '--full') size = 'full';
    else if (arg === '--smoke') size = 'smoke';
    else if (arg === '--out' && argv[i + 1]) out = argv[++i] ?? out;
    else throw new Error(`unknown argument ${arg}; use --quick, --full, --smoke or --out FILE`);
  }
  return { size, out };
}

function summary(results: BenchResults, out: string): string {
  const judged = results.figures.filter((f) => f.pass !== null);
  const missed = judged.filter((f) => f.pass === false);
  const lines = [
    '',
    renderTable(results.figures),
    '',
    `A design-review day against a Slack enforcing its tiers (${results.measurements.burst.reviews} reviews within 2 s):`,
    '',
    renderBurstTable(results.measurements.burst),
    '',
    `Cost per request at list prices (src/observability/prices.ts); the fake model bills prompt caching as the API does:`,
    '',
    renderCostTable(results.costs),
    '',
    `${judged.length - missed.length}/${judged.length} targets met` +
      (missed.length ? `; missed: ${missed.map((f) => f.id).join(', ')}` : ''),
    `${results.size} run on ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, ${results.durationSec} s`,
    `results written to ${out}`,
  ];
  if (results.failedConsultations > 0) {
    lines.push(
      `warning: ${results.failedConsultations} consultations ended in an error message, not a review`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { size, out } = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`· ${line}\n`);
  const results = await runBenchmark({ size, resultsPath: out, log });
  process.stdout.write(`${summary(results, out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
