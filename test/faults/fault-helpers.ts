import { Queue } from 'bullmq';
import { CONSULTATION_QUEUE } from '../../src/queue/consultation-job';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { TEST_REDIS_URL } from '../helpers/redis-keys';
import { USER } from '../helpers/slack-payloads';

/** A BullMQ view of the harness's queue, for counting and adding jobs the way another producer would. */
export function harnessQueue(h: Harness, redisUrl = h.env.REDIS_URL ?? TEST_REDIS_URL): Queue {
  const queue = new Queue(CONSULTATION_QUEUE, {
    connection: { url: redisUrl, maxRetriesPerRequest: 1 },
    prefix: h.prefix,
  });
  queue.on('error', () => undefined);
  return queue;
}

/** The fault suites' common setting: the app with Alice known to Slack, and a view of its queue. */
export async function startFaultHarness(
  env: Record<string, string> = {},
): Promise<{ h: Harness; queue: Queue }> {
  const h = await startHarness({ LOG_LEVEL: 'info', ...env });
  h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  return { h, queue: harnessQueue(h) };
}

export async function stopFaultHarness(h: Harness, queue: Queue): Promise<void> {
  await queue.close();
  await h.stop();
}

/**
 * The fault setting for each test of the enclosing describe, stopped after it; read `.h` and `.queue`
 * inside the tests. It starts before each test with `env`, or, with `lazy`, when the test calls
 * `start(env)` (for a test that needs its own settings).
 */
export function faultHarnessForEachTest(opts: { env?: Record<string, string>; lazy?: boolean } = {}): {
  readonly h: Harness;
  readonly queue: Queue;
  start(env?: Record<string, string>): Promise<void>;
} {
  let current: { h: Harness; queue: Queue } | undefined;
  const stop = async () => {
    if (current) await stopFaultHarness(current.h, current.queue);
    current = undefined;
  };
  const start = async (env: Record<string, string> = {}) => {
    await stop();
    current = await startFaultHarness({ ...opts.env, ...env });
  };
  const running = () => {
    if (!current) throw new Error('the fault harness is not running: start it in the test');
    return current;
  };
  if (!opts.lazy) beforeEach(() => start());
  afterEach(stop);
  return {
    get h() {
      return running().h;
    },
    get queue() {
      return running().queue;
    },
    start,
  };
}
