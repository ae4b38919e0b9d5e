import { createHook } from 'node:async_hooks';
import { startHarness } from '../helpers/architect-harness';
import { perTest } from '../helpers/per-test';
import { mention, slashCommand } from '../helpers/slack-actions';
import { USER } from '../helpers/slack-payloads';

// Nothing listens on port 1: the app starts, but its queue is unreachable.
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('when Redis cannot be reached', () => {
  const h = perTest(
    () => startHarness({ REDIS_URL: UNREACHABLE_REDIS, ROLE: 'web' }),
    (h) => h.stop(),
  );

  it('a slash command gets a clear ephemeral "try again" within Slack’s 3 seconds', async () => {
    const body = await slashCommand(h, 'review my design');
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/try again/i);
  });

  it('a mention gets an ephemeral "try again" in its thread', async () => {
    const ts = await mention(h, { text: '<@UBOT> review' });
    const note = await h.slack.waitFor(() => h.slack.callsTo('chat.postEphemeral')[0]);
    expect(note.params.user).toBe(USER);
    expect(note.params.thread_ts).toBe(ts);
    expect(String(note.params.text)).toMatch(/try again/i);
  });

  it('/healthz answers while /readyz reports Redis down', async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { redis: false, agents: true } });
  });
});

describe('stopping while Redis cannot be reached', () => {
  it('leaves no timer of the app behind, so the process can exit', async () => {
    const h = await startHarness({ REDIS_URL: UNREACHABLE_REDIS, ROLE: 'web' });
    const pending = new Map<number, string>();
    let watching = true;
    const hook = createHook({
      init(id, type) {
        if (watching && type === 'Timeout') pending.set(id, new Error().stack ?? '');
      },
      destroy(id) {
        pending.delete(id);
      },
    }).enable();
    try {
      await h.stop();
      watching = false;
      // Short-lived timers of the stop itself fire within this; a leaked one (ioredis's 2 s) does not.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([...pending.values()].filter((stack) => stack.includes('node_modules/ioredis'))).toEqual([]);
    } finally {
      hook.disable();
    }
  });
});

describe('when Redis answers', () => {
  it('/readyz answers 200', async () => {
    const h = await startHarness({ ROLE: 'web' });
    try {
      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await h.stop();
    }
  });
});
