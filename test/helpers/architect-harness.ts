import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type Architect, startArchitect } from '../../src/architect';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { SlackApiFake } from '../fakes/slack-api-fake';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from './redis-keys';
import { USER } from './slack-payloads';
import { TEST_SIGNING_SECRET } from './slack-signing';

export const ROOT = path.resolve(__dirname, '../..');

/** Every log line the app wrote during a test, parsed. */
export class CapturedLogs extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      this.raw.push(line);
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ msg: line });
      }
    }
    done();
  }
}

export interface Harness {
  architect: Architect;
  slack: SlackApiFake;
  claude: AnthropicFake;
  logs: CapturedLogs;
  prefix: string;
  /** POST /slack/events of the running app. */
  eventsUrl: string;
  baseUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The settings of the app in HTTP mode against the loopback fakes and the test Redis, on `prefix`. */
export function fakesEnv(slack: SlackApiFake, claude: AnthropicFake, prefix: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_MODE: 'http',
    SLACK_API_URL: slack.apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: claude.baseURL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    AGENTS_DIR: path.join(ROOT, 'agents'),
    LOG_LEVEL: 'debug',
  };
}

/**
 * Starts the real app in HTTP mode (ingress and worker) against the loopback Slack and Anthropic
 * fakes and the real Redis, on a key prefix of its own. `{ SLACK_MODE: 'socket', SLACK_APP_TOKEN:
 * slack.appToken }` (the fake's default is 'xapp-test-token') runs it in Socket Mode instead, over a
 * real WebSocket to the Slack fake; it resolves once that link is up.
 */
export async function startHarness(env: Record<string, string | undefined> = {}): Promise<Harness> {
  // A test that sets its own token or key (to look for it in logs, say) gets fakes that accept it.
  const slack = await SlackApiFake.start(env.SLACK_BOT_TOKEN ? { botToken: env.SLACK_BOT_TOKEN } : {});
  const claude = await AnthropicFake.start(env.ANTHROPIC_API_KEY ? { apiKey: env.ANTHROPIC_API_KEY } : {});
  const prefix = `architect-test-${randomUUID().slice(0, 8)}`;
  const defaults = fakesEnv(slack, claude, prefix);
  // An override of undefined removes a default: Socket Mode runs without SLACK_SIGNING_SECRET, say.
  const fullEnv: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete fullEnv[name];
    else fullEnv[name] = value;
  }
  const logs = new CapturedLogs();
  const config = loadConfig(fullEnv);
  const architect = await startArchitect(config, createLogger({ level: config.logLevel, destination: logs }));
  const baseUrl = `http://127.0.0.1:${architect.port}`;
  return {
    architect,
    slack,
    claude,
    logs,
    prefix,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    env: fullEnv,
    stop: async () => {
      await architect.stop();
      await Promise.all([slack.close(), claude.close()]);
      await deleteKeysWithPrefix(prefix);
    },
  };
}

/**
 * The app in Socket Mode, with Alice known to Slack, once its WebSocket to the fake is up (proved from
 * the fake's side). It runs without a signing secret: nothing arrives over HTTP.
 */
export async function startSocketHarness(env: Record<string, string> = {}): Promise<Harness> {
  const h = await startHarness({
    SLACK_MODE: 'socket',
    SLACK_APP_TOKEN: 'xapp-test-token',
    SLACK_SIGNING_SECRET: undefined,
    ...env,
  });
  h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  await h.slack.socketConnected();
  return h;
}

/**
 * Starts another app process-equivalent on the same Redis prefix and fakes: a second replica, or the
 * bot after a restart. Its ROLE defaults to web, so the first instance's worker runs the jobs.
 */
export async function startAnotherInstance(
  h: Harness,
  env: Record<string, string> = {},
): Promise<{ eventsUrl: string; stop(): Promise<void> }> {
  const config = loadConfig({ ...h.env, ROLE: 'web', ...env });
  const architect = await startArchitect(
    config,
    createLogger({ level: config.logLevel, destination: h.logs }),
  );
  return { eventsUrl: `http://127.0.0.1:${architect.port}/slack/events`, stop: () => architect.stop() };
}

/**
 * The app for each test of the enclosing describe, with Alice known to Slack: started before each
 * test, stopped after it. Read `.h` inside the tests; `restart(env)` swaps in one with other settings.
 */
export function harnessForEachTest(env: Record<string, string> = {}): {
  readonly h: Harness;
  restart(env?: Record<string, string>): Promise<Harness>;
} {
  let current: Harness | undefined;
  const stop = async () => {
    await current?.stop();
    current = undefined;
  };
  const restart = async (other: Record<string, string> = env) => {
    await stop();
    current = await startHarness(other);
    current.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    return current;
  };
  beforeEach(() => restart());
  afterEach(stop);
  return {
    get h() {
      if (!current) throw new Error('the app is not running: use it inside a test');
      return current;
    },
    restart,
  };
}
