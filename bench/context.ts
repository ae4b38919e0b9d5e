import path from 'node:path';
import { SLACK_RATE_TIERS } from '../src/slack/rate-tiers';
import type { AnthropicFake } from '../test/fakes/anthropic-fake';
import type { SlackApiFake } from '../test/fakes/slack-api-fake';
import { TEST_REDIS_URL } from '../test/helpers/redis-keys';
import { TEST_SIGNING_SECRET } from '../test/helpers/slack-signing';
import { ROOT } from './build';
import { MeasuredProcess } from './child';
import type { BenchSize } from './sizes';
import { ConsultationTracker } from './tracker';
import { BenchWorkspace } from './workspace';

const UNBUDGETED = Object.keys(SLACK_RATE_TIERS)
  .map((method) => `${method}=0`)
  .join(',');

/** What every phase shares: the fakes, the size, and the bookkeeping that lets the run clean up after itself. */
export class BenchContext {
  readonly workspace: BenchWorkspace;
  /** Every Redis key prefix a process of this run used: all deleted at the end (the Redis is shared). */
  readonly prefixes: string[] = [];
  private readonly running = new Set<MeasuredProcess>();

  constructor(
    readonly size: BenchSize,
    readonly slack: SlackApiFake,
    readonly claude: AnthropicFake,
    readonly runId: string,
    readonly log: (line: string) => void,
  ) {
    this.workspace = new BenchWorkspace(slack, runId.slice(-4).toUpperCase());
  }

  /**
   * A fresh start for a phase: empty fakes, a tracker reading the new call log (watching for the
   * verdict's label when given one), and this model latency.
   */
  freshPhase(modelLatencyMs: number, verdictLabel?: string): ConsultationTracker {
    this.workspace.reset();
    this.claude.reset();
    this.claude.setDefaultLatency(modelLatencyMs);
    return new ConsultationTracker(this.slack, verdictLabel);
  }

  prefix(name: string): string {
    const prefix = `architect-bench-${this.runId}-${name}`;
    this.prefixes.push(prefix);
    return prefix;
  }

  /** The app's environment: HTTP mode against the fakes, production log level, a queue prefix of its own. */
  appEnv(queuePrefix: string, extra: Record<string, string>): Record<string, string> {
    return {
      ...this.fakeEnv(),
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: this.claude.baseURL,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      PORT: '0',
      AGENTS_DIR: path.join(ROOT, 'agents'),
      LOG_LEVEL: 'info',
      // The benchmark is one person asking thousands of times: the cost guard would (rightly) stop it.
      RATE_LIMIT_PER_USER_PER_HOUR: '0',
      DAILY_TOKEN_BUDGET_PER_TEAM: '0',
      // Thousands of reviews a minute in one workspace are far past Slack's tiers (chat.delete alone
      // allows some 50 a minute): the phases that measure Architect's own cost run unbudgeted, against
      // a fake that does not count; the burst phase puts Slack's tiers back on both sides.
      SLACK_RATE_LIMITS: UNBUDGETED,
      ...extra,
    };
  }

  fakeEnv(): Record<string, string> {
    return {
      SLACK_BOT_TOKEN: this.slack.botToken,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_MODE: 'http',
      SLACK_API_URL: this.slack.apiUrl,
    };
  }

  async start(
    script: Parameters<typeof MeasuredProcess.start>[0],
    env: Record<string, string>,
    name: string,
  ): Promise<MeasuredProcess> {
    const child = await MeasuredProcess.start(script, env, name);
    this.running.add(child);
    return child;
  }

  async stop(child: MeasuredProcess): Promise<void> {
    await child.stop();
    this.running.delete(child);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((c) => this.stop(c)));
  }
}
