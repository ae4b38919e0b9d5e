import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
/** Under node_modules so the compiled files resolve the project's dependencies as dist/ would. */
export const BUILD_DIR = path.join(ROOT, 'node_modules', '.cache', 'architect-bench');

/**
 * Compiles src/ and the measured processes to plain JS, so every child runs as production does
 * (`node dist/main.js`): no TypeScript loader in the process whose latency and memory are measured.
 */
export function buildChildren(): void {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'bench', 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const entry = childScript('app-process');
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(0, 10).join('\n');
    // tsc still emits on type errors; work in progress elsewhere in src/ should not stop a benchmark.
    if (!existsSync(entry)) throw new Error(`Could not compile the benchmark's processes:\n${output}`);
    console.warn(`warning: tsc reported errors while compiling for the benchmark:\n${output}`);
  }
}

export function childScript(name: 'app-process' | 'bare-bolt-process' | 'raw-bullmq-process'): string {
  return path.join(BUILD_DIR, 'bench', 'processes', `${name}.js`);
}
