import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleReview } from '../fixtures/sample-review';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { expectedReviewBlocks } from '../helpers/review-blocks';
import { mention as mentionIn } from '../helpers/slack-actions';
import { CHANNEL, USER } from '../helpers/slack-payloads';
import { waitForReview } from '../helpers/waits';

/** A 1×1 PNG: an architecture diagram, as far as the pipeline can tell. */
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const PROGRESS_INTERVAL_MS = 300;

/** The text of the review's closing context line. */
function contextLine(message: { blocks?: unknown[] }): string {
  const context = (message.blocks ?? []).filter(
    (b): b is { type: 'context'; elements: { text: string }[] } =>
      typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'context',
  );
  return (context.at(-1)?.elements ?? []).map((e) => e.text).join('\n');
}

describe('context the way a reviewer needs it, end to end', () => {
  let h: Harness;
  let foreign: { server: Server; origin: string; hits: number };

  beforeEach(async () => {
    h = await startHarness({
      FILE_MAX_BYTES: '20000',
      PROGRESS_UPDATE_INTERVAL_MS: String(PROGRESS_INTERVAL_MS),
    });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    h.slack.addUser('U0BOB', { name: 'bob', display_name: 'Bob' });
    const server = createServer((_req, res) => {
      foreign.hits++;
      res.end('should never be fetched');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    foreign = { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: 0 };
  });
  afterEach(async () => {
    await h.stop();
    await new Promise<void>((resolve) => foreign.server.close(() => resolve()));
  });

  /** Mentions the bot in the thread under `rootTs` and returns the delivered review. */
  async function mention(rootTs: string) {
    await mentionIn(h, { text: '<@UBOT> thoughts?', threadTs: rootTs });
    return waitForReview(h, rootTs);
  }

  it('fits a 1,000-message thread (2 MB of text) into a bounded request with its first and last messages', async () => {
    const filler = 'The ledger service appends events and replays them on start. '.repeat(32);
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: `ROOT-DESIGN-MARKER ${filler}` });
    for (let i = 1; i < 999; i++) {
      h.slack.addMessage(CHANNEL, {
        user: i % 2 ? 'U0BOB' : USER,
        text: `reply ${i} ${filler}`,
        thread_ts: rootTs,
      });
    }
    h.slack.addMessage(CHANNEL, { user: 'U0BOB', text: `NEWEST-MARKER ${filler}`, thread_ts: rootTs });

    const review = await mention(rootTs);
    const request = h.claude.lastRequest();
    const sent = JSON.stringify(request?.body.messages);
    expect(sent).toContain('ROOT-DESIGN-MARKER');
    expect(sent).toContain('NEWEST-MARKER');
    expect(sent).toMatch(/\[\d+ earlier messages omitted\]/);
    // 2 MB of thread in, and a request within the 120k-token default budget out (at most ~4 chars a token).
    expect(JSON.stringify(request?.body).length).toBeLessThan(120_000 * 4);
    // The budget is worked out locally: no token-counting round trips.
    expect(h.claude.countTokensRequests).toHaveLength(0);
    expect(contextLine(review)).toMatch(/\d+ earlier messages left out to fit the context budget/);
  });

  it('sends a Markdown file as a text document and a PNG as an image; lists an oversized and a foreign file as not read', async () => {
    const md = h.slack.addFile('F1', {
      name: 'design.md',
      mimetype: 'text/markdown',
      content: Buffer.from('# Payments design\nUse a transactional outbox.'),
    });
    const png = h.slack.addFile('F2', { name: 'diagram.png', mimetype: 'image/png', content: PNG_BYTES });
    const big = h.slack.addFile('F3', {
      name: 'huge.md',
      mimetype: 'text/markdown',
      content: Buffer.alloc(50_000, 'a'),
    });
    const elsewhere = {
      ...md,
      id: 'F4',
      name: 'elsewhere.md',
      url_private: `${foreign.origin}/files/F4/elsewhere.md`,
      url_private_download: `${foreign.origin}/files/F4/elsewhere.md?download=1`,
    };
    const rootTs = h.slack.addMessage(CHANNEL, {
      user: USER,
      text: 'Design attached',
      subtype: 'file_share',
      files: [md, png],
    });
    h.slack.addMessage(CHANNEL, {
      user: 'U0BOB',
      text: 'Appendix',
      thread_ts: rootTs,
      files: [big, elsewhere],
    });

    const review = await mention(rootTs);
    const messages = h.claude.lastRequest()?.body.messages;
    const blocks = (Array.isArray(messages) ? messages : []).flatMap((m: { content: unknown }) =>
      Array.isArray(m.content) ? (m.content as Record<string, unknown>[]) : [],
    );
    expect(blocks).toContainEqual(
      expect.objectContaining({
        type: 'document',
        title: 'design.md',
        source: {
          type: 'text',
          media_type: 'text/plain',
          data: '# Payments design\nUse a transactional outbox.',
        },
      }),
    );
    expect(blocks).toContainEqual(
      expect.objectContaining({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: PNG_BYTES.toString('base64') },
      }),
    );
    const sent = JSON.stringify(messages);
    expect(sent).toMatch(/\[not read: huge\.md \(too large/);
    expect(sent).toContain('[not read: elsewhere.md (not on Slack’s file host)]');
    expect(foreign.hits).toBe(0);
    const line = contextLine(review);
    expect(line).toMatch(
      /files not read: huge\.md \(too large[^)]*\), elsewhere\.md \(not on Slack’s file host\)/,
    );
  });

  it('marks the system prompt and the thread for an hour of prompt caching and records the cache figures Claude reports', async () => {
    h.claude.enqueue({
      kind: 'review',
      usage: { input_tokens: 900, cache_read_input_tokens: 1234, cache_creation_input_tokens: 567 },
    });
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design: a queue per tenant' });
    const review = await mention(rootTs);
    const body = h.claude.lastRequest()?.body;
    const system = body?.system as { cache_control?: unknown }[];
    // Answers to the architect's questions often come 10–60 minutes later: the default TTL is an hour.
    expect(system.at(-1)?.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(JSON.stringify(body?.messages).match(/"cache_control"/g)).toHaveLength(1);
    // Token and cache figures are for the full review's footer and the logs, not the thread's context line.
    expect(contextLine(review)).not.toContain('cache');
    const delivered = await h.slack.waitFor(() => h.logs.lines.find((l) => l.msg === 'review delivered'));
    expect(delivered).toMatchObject({ cacheReadTokens: 1234, cacheWriteTokens: 567 });
  });

  it('shows progress in order, one update at a time, and the streamed review ends as the final structured review', async () => {
    h.claude.enqueue({ kind: 'review', latencyMs: 700, deltaDelayMs: 150 });
    const md = h.slack.addFile('F1', {
      name: 'design.md',
      mimetype: 'text/markdown',
      content: Buffer.from('# D'),
    });
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'Design', files: [md] });
    const review = await mention(rootTs);

    // Slack's status line came up before Claude was asked, and was cleared at the end.
    const [first] = h.slack.assistantStatuses;
    expect(first).toMatchObject({ channel_id: CHANNEL, thread_ts: rootTs, status: 'is reviewing…' });
    expect(first?.at).toBeLessThanOrEqual(h.claude.requests[0]?.at ?? 0);
    // The status is cleared right after the review lands, so wait for it rather than race it.
    await h.slack.waitFor(() => h.slack.assistantStatuses.at(-1)?.status === '');

    const placeholderTs = String(h.slack.callsTo('chat.postMessage')[0]?.response?.ts);
    const updates = h.slack.callsTo('chat.update').filter((c) => c.params.ts === placeholderTs);
    const progress = updates.filter((c) => /is (reading|thinking|writing)/.test(String(c.params.text)));
    const phases = progress.map((c) => /is (reading|thinking|writing)/.exec(String(c.params.text))?.[1]);
    expect([...new Set(phases)]).toEqual(['reading', 'thinking', 'writing']);
    const ranks = phases.map((p) => ['reading', 'thinking', 'writing'].indexOf(p ?? ''));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(String(progress[0]?.params.text)).toContain('reading the thread (1 message, 1 file)');
    // Each update went out only once Slack had answered the one before: never two in flight. (The
    // spacing by the interval is the ProgressReporter test's, on a clock it drives.)
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]?.arrived).toBeGreaterThan(progress[i - 1]?.answered ?? Number.POSITIVE_INFINITY);
    }

    // The summary appeared while Claude wrote it...
    const summary = sampleReview().tldr;
    const writing = progress.filter((c) => String(c.params.text).includes('is writing'));
    // (in the placeholder, or in the reply Slack's native streaming grows below it)
    const streamed = h.slack.callsTo('chat.startStream').map((c) => String(c.params.markdown_text));
    expect(
      writing.some((c) => String(c.params.text).includes(summary.slice(0, 30))) ||
        streamed.some((text) => text.includes(summary.slice(0, 30))),
    ).toBe(true);

    // ...and the review arrives as a new message, the one the renderer makes, buttons and all; the
    // placeholder goes once it is there.
    const final = h.slack.callsTo('chat.postMessage').find((c) => c.response?.ts === review.ts);
    expect(final?.arrived).toBeGreaterThan(progress.at(-1)?.arrived ?? Number.POSITIVE_INFINITY);
    const deleted = h.slack.callsTo('chat.delete').find((c) => c.params.ts === placeholderTs);
    expect(deleted?.arrived).toBeGreaterThan(final?.answered ?? Number.POSITIVE_INFINITY);
    const finalBlocks = final?.params.blocks as Record<string, unknown>[];
    expect(finalBlocks.slice(0, -1)).toEqual(expectedReviewBlocks(finalBlocks, sampleReview()));
  });
});
