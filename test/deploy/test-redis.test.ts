import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/architect-harness';
import { freePort, redisAnswers } from '../helpers/redis-server';

/**
 * `npm test` on a fresh machine: jest's globalSetup finds the test Redis, starts a private
 * redis-server for the run when none answers, or stops at once with one message saying how to get one.
 * Each case runs Jest itself on one small suite, as a newcomer would.
 */

const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');
const SMALL_SUITE = 'test/deploy/test-redis-answers.test.ts';

interface Run {
  code: number | null;
  output: string;
}

function runJest(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [JEST, SMALL_SUITE],
      // Without a Redis the suite would wait on it for good; the kill turns that into a failed case.
      { cwd: ROOT, env: { HOME: process.env.HOME ?? '', ...env }, timeout: 20_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** A PATH with node on it and nothing else: a machine without redis-server. */
function pathWithoutRedis(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'architect-path-'));
  symlinkSync(process.execPath, path.join(dir, 'node'));
  return dir;
}

describe('the Redis that npm test runs against', () => {
  it('is started for the run when none answers and redis-server is installed, and stopped afterwards', async () => {
    const port = await freePort();
    const run = await runJest({ PATH: process.env.PATH ?? '', TEST_REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(run.output).toContain(`Started redis-server on redis://127.0.0.1:${port} for this test run`);
    expect(run.output).toMatch(/Tests:\s+\d+ passed/);
    expect(run.code).toBe(0);
    expect(await redisAnswers('127.0.0.1', port)).toBe(false);
  });

  it('is the one already answering when there is one, left running', async () => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const { hostname, port } = new URL(url);
    const run = await runJest({ PATH: process.env.PATH ?? '', TEST_REDIS_URL: url });
    expect(run.output).not.toContain('Started redis-server');
    expect(run.code).toBe(0);
    expect(await redisAnswers(hostname, Number(port || 6379))).toBe(true);
  });

  it('is missing on a machine without redis-server: the run stops before any test with one message saying how to get one', async () => {
    const port = await freePort();
    const run = await runJest({ PATH: pathWithoutRedis(), TEST_REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.output.trim()).toBe(
      [
        `The tests need Redis, and nothing answers on redis://127.0.0.1:${port} (TEST_REDIS_URL, default redis://127.0.0.1:6379).`,
        'With redis-server on PATH, npm test starts one for the run on that address. Get one with',
        '`apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS),',
        'or start one on 127.0.0.1:6379 with `docker compose up redis`.',
      ].join('\n'),
    );
  });
});
