import { type Harness, startAnotherInstance, startHarness } from '../helpers/architect-harness';
import { ChildApp } from '../helpers/child-app';
import { botReplies, isProgress, isReview, mention as mentionBot } from '../helpers/slack-actions';
import { USER } from '../helpers/slack-payloads';

/** Short locks so a dead worker's job is recovered in seconds. */
const FAST_RECOVERY = { LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '500' };

describe('worker processes that die or are stopped', () => {
  let h: Harness;
  const children: ChildApp[] = [];
  const others: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    // The in-process app only takes requests: the consultations run in the worker processes below.
    h = await startHarness({ ROLE: 'web', ...FAST_RECOVERY });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await Promise.all(others.splice(0).map((o) => o.stop()));
    await h.stop();
  });

  const workerProcess = (env: Record<string, string> = {}) => {
    const child = ChildApp.spawn({
      ...h.env,
      ROLE: 'worker',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...FAST_RECOVERY,
      ...env,
    });
    children.push(child);
    return child;
  };
  const mention = () => mentionBot(h, { text: '<@UBOT> review this' });
  const botMessages = (ts: string) => botReplies(h, ts);
  // Delivered whole: the review is in and the placeholder is gone.
  const reviewed = (ts: string) => botMessages(ts).some(isReview) && !botMessages(ts).some(isProgress);

  it('a worker killed with SIGKILL mid-consultation: another worker finishes it, one review in the thread', async () => {
    const doomed = workerProcess();
    await doomed.waitForLog(/architect started/);
    h.claude.enqueue({ kind: 'review', latencyMs: 60_000 });
    const ts = await mention();
    await h.claude.waitForRequests(1, 20_000);
    // The placeholder, beside its streamed progress (the task cards), which the next attempt removes.
    expect(botMessages(ts).filter((m) => !h.slack.streamOf(m.ts))).toHaveLength(1);
    doomed.kill('SIGKILL');
    expect(await doomed.exited).toBeNull();

    others.push(await startAnotherInstance(h, { ROLE: 'worker', ...FAST_RECOVERY }));
    await h.slack.waitFor(() => reviewed(ts), 20_000);
    expect(botMessages(ts)).toHaveLength(1);
    expect(h.claude.requests).toHaveLength(2);
  });

  it('SIGTERM lets a running consultation finish, then the process exits 0', async () => {
    const worker = workerProcess({ SHUTDOWN_TIMEOUT_MS: '20000' });
    await worker.waitForLog(/architect started/);
    h.claude.enqueue({ kind: 'review', latencyMs: 1500 });
    const ts = await mention();
    await h.claude.waitForRequests(1, 20_000);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(reviewed(ts)).toBe(true);
    expect(botMessages(ts)).toHaveLength(1);
  });

  it('SIGTERM past the shutdown timeout hands the consultation back to the queue and exits 0', async () => {
    const worker = workerProcess({ SHUTDOWN_TIMEOUT_MS: '300' });
    await worker.waitForLog(/architect started/);
    h.claude.enqueue({ kind: 'review', latencyMs: 60_000 });
    const ts = await mention();
    await h.claude.waitForRequests(1, 20_000);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.lines.some((l) => /handing the consultation back/.test(String(l.msg)))).toBe(true);
    expect(reviewed(ts)).toBe(false);

    others.push(await startAnotherInstance(h, { ROLE: 'worker', ...FAST_RECOVERY }));
    await h.slack.waitFor(() => reviewed(ts), 30_000);
    expect(botMessages(ts)).toHaveLength(1);
    // No error was ever shown: the thread went from placeholder to review.
    expect(h.slack.calls.filter((c) => JSON.stringify(c.params).includes('retry_consultation'))).toHaveLength(
      0,
    );
  });
});
