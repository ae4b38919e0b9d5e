/**
 * The image's recipe, followed without Docker (`npm run image:check`; CI runs it): every stage of the
 * Dockerfile in a folder of its own, its COPY and RUN steps as written (clean install, build, production
 * dependencies only), then its CMD started as a user who owns none of the files, until its own
 * HEALTHCHECK passes and /healthz answers, and then stopped with SIGTERM as an orchestrator would.
 *
 * The app is started against a loopback Slack API fake (it calls auth.test at start-up) and the test
 * Redis; Claude is pointed at a closed loopback port, since start-up never calls it.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SlackApiFake } from '../fakes/slack-api-fake';
import { ensureTestRedis } from '../global-setup';
import { ROOT } from '../helpers/architect-harness';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';
import { freePort } from '../helpers/redis-server';
import { type Instruction, parseDockerfile, type Stage } from './dockerfile-recipe';

const HEALTHY_WITHIN_MS = 30_000;
const STOPPED_WITHIN_MS = 15_000;

function say(message: string): void {
  process.stderr.write(`[image-check] ${message}\n`);
}

interface StageState {
  root: string;
  cwd: string;
  env: Record<string, string>;
  user: string | undefined;
  healthcheck: string | undefined;
  cmd: string[] | undefined;
}

/** The image's file system root of a stage: WORKDIR /app of stage `build` lives at <work>/build/app. */
function inStage(state: StageState, target: string): string {
  return path.isAbsolute(target) ? path.join(state.root, target) : path.join(state.cwd, target);
}

function copy(from: string, to: string): void {
  const destIsDir = to.endsWith('/');
  cpSync(from, destIsDir ? path.join(to, path.basename(from)) : to, { recursive: true });
}

function follow(stage: Stage, work: string, built: Map<string, StageState>, npmCache: string): StageState {
  if (built.has(stage.base))
    throw new Error(`FROM ${stage.base}: a stage built on another stage is not supported`);
  const root = path.join(work, stage.name);
  mkdirSync(root, { recursive: true });
  // The image's npm cache is its own: `npm cache clean` in the recipe must not empty this machine's.
  const state: StageState = {
    root,
    cwd: root,
    env: { npm_config_cache: npmCache, npm_config_update_notifier: 'false' },
    user: undefined,
    healthcheck: undefined,
    cmd: undefined,
  };
  say(`stage ${stage.name} (FROM ${stage.base}; here: node ${process.version})`);
  for (const step of stage.instructions) apply(step, state, built);
  built.set(stage.name, state);
  return state;
}

function apply(step: Instruction, state: StageState, built: Map<string, StageState>): void {
  switch (step.kind) {
    case 'WORKDIR':
      state.cwd = inStage(state, step.path);
      mkdirSync(state.cwd, { recursive: true });
      return;
    case 'COPY': {
      const source = step.from === undefined ? undefined : built.get(step.from);
      if (step.from !== undefined && !source) throw new Error(`COPY --from=${step.from}: no such stage yet`);
      const dest = step.sources.length > 1 && !step.dest.endsWith('/') ? `${step.dest}/` : step.dest;
      for (const src of step.sources) {
        copy(source ? inStage(source, src) : path.join(ROOT, src), inStage(state, dest));
      }
      return;
    }
    case 'RUN': {
      say(`RUN ${step.command}`);
      const run = spawnSync('sh', ['-c', step.command], {
        cwd: state.cwd,
        env: { ...process.env, ...state.env },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (run.status !== 0) throw new Error(`RUN ${step.command} exited with ${run.status ?? run.signal}`);
      return;
    }
    case 'ENV':
      Object.assign(state.env, step.vars);
      return;
    case 'USER':
      state.user = step.user;
      return;
    case 'EXPOSE':
      return;
    case 'HEALTHCHECK':
      state.healthcheck = step.command;
      return;
    case 'CMD':
      state.cmd = step.argv;
      return;
  }
}

/**
 * The uid/gid the CMD runs as. The image's user (`node`) rarely exists on the host; a root check runs
 * as `nobody` instead, which owns none of the files either, as in the image. Not root: as ourselves.
 */
function runAs(user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user || process.getuid?.() !== 0) return undefined;
  for (const name of [user, 'nobody']) {
    try {
      const uid = Number(
        execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
      );
      const gid = Number(
        execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
      );
      say(`CMD runs as ${name} (uid ${uid}), standing in for the image's USER ${user}`);
      return { uid, gid };
    } catch {
      // no such user here; try the next
    }
  }
  return undefined;
}

/** Makes the stage readable to a user who owns none of it, as the image's root-owned files are. */
function openForReading(work: string): void {
  chmodSync(work, 0o755);
  spawnSync('chmod', ['-R', 'a+rX', work], { stdio: 'inherit' });
}

async function healthy(command: string, env: Record<string, string>, app: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`the app exited with ${app.exitCode} before it was healthy`);
    if (spawnSync('sh', ['-c', command], { env, stdio: 'ignore' }).status === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the image's HEALTHCHECK did not pass within ${HEALTHY_WITHIN_MS} ms`);
}

async function stopped(app: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
  app.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOPPED_WITHIN_MS));
  const result = await Promise.race([exited, timer]);
  if (result === 'timeout') {
    app.kill('SIGKILL');
    throw new Error(`the app did not stop within ${STOPPED_WITHIN_MS} ms of SIGTERM`);
  }
  return result;
}

async function startAndProbe(runtime: StageState): Promise<void> {
  const [program, ...args] = runtime.cmd ?? [];
  if (!program) throw new Error('the last stage has no CMD');
  if (!runtime.healthcheck) throw new Error('the last stage has no HEALTHCHECK');
  const redis = await ensureTestRedis(TEST_REDIS_URL, process.env.PATH);
  const slack = await SlackApiFake.start();
  const prefix = `architect-image-check-${process.pid}`;
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...runtime.env,
    PORT: String(port),
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'image-check-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-image-check',
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    REDIS_URL: redis?.url ?? TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
  };
  say(`CMD ${runtime.cmd?.join(' ')} (PORT=${port}, Slack: loopback fake)`);
  const app = spawn(program, args, { cwd: runtime.cwd, env, stdio: 'inherit', ...runAs(runtime.user) });
  try {
    await healthy(runtime.healthcheck, env, app);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}: ${body}`);
    say(`HEALTHCHECK passed; GET /healthz answered ${res.status} ${body}`);
    const code = await stopped(app);
    if (code !== 0) throw new Error(`the app exited with ${code} after SIGTERM, not 0`);
    say('stopped with exit code 0 on SIGTERM');
  } finally {
    if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    await slack.close();
    await deleteKeysWithPrefix(prefix, redis?.url ?? TEST_REDIS_URL);
    await redis?.down();
  }
}

async function main(): Promise<void> {
  const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const work = mkdtempSync(path.join(tmpdir(), 'architect-image-'));
  const keep = process.argv.includes('--keep');
  try {
    const built = new Map<string, StageState>();
    let runtime: StageState | undefined;
    for (const stage of stages) runtime = follow(stage, work, built, path.join(work, '.npm-cache'));
    if (!runtime) throw new Error('the Dockerfile has no stage');
    openForReading(work);
    await startAndProbe(runtime);
    say('the image recipe builds, starts and answers /healthz');
  } finally {
    if (keep) say(`stages kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
