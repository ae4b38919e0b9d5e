import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { REQUEST_MAX_BYTES } from '../../fakes/anthropic-fake';
import { type Harness, startHarness } from '../../helpers/architect-harness';
import { ChildApp } from '../../helpers/child-app';
import { CHANNEL, eventCallback, USER } from '../../helpers/slack-payloads';
import { signedPost } from '../../helpers/slack-signing';

/** Just under FILE_MAX_BYTES' default (10 MiB), as the largest files people share are. */
const FILE_BYTES = 10_000_000;
/**
 * How much a worker's resident memory may grow for one consultation over twenty such files. Only
 * the two PDFs that fit Claude's request (20 MB of the files budget) are downloaded, plus the first
 * 80 kB of two text files. Sending them is what costs: their base64 (27 MB), the SDK's JSON body
 * (27 MB, twice that as a UTF-16 string) and its UTF-8 bytes (27 MB), with the garbage collector
 * behind; building such a body alone grows a bare Node process by about 175 MB. Measured: 160 to
 * 190 MB. One such consultation used to take 330 MB, downloading all 200 MB of the files.
 */
const RSS_GROWTH_BOUND_MB = 240;

const run = promisify(execFile);

/** Resident memory of a process in MB: /proc where there is one, ps elsewhere. */
async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux: ask ps.
  }
  const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
  return Number(stdout.trim()) / 1024;
}

/** A one-page PDF padded to `size` bytes, the way a scanned or image-heavy design document is. */
function pdfOf(size: number, label: string): Buffer {
  const head = Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n% ${label}\n4 0 obj << /Length ${size} >>\nstream\n`,
    'latin1',
  );
  const tail = Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 0x41), tail]);
}

function textOf(size: number, label: string): Buffer {
  const line = `${label}: the ledger service appends events and replays them on start.\n`;
  return Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size));
}

describe('a thread of twenty files near FILE_MAX_BYTES', () => {
  let h: Harness;
  let worker: ChildApp | undefined;

  beforeEach(async () => {
    // The in-process app takes the mention; the consultation runs in a worker process of its own,
    // so its memory can be measured apart from the fakes and the test.
    h = await startHarness({ ROLE: 'web' });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  });
  afterEach(async () => {
    await worker?.stop();
    await h.stop();
  });

  it('gets a review while the worker’s memory grows by a bounded amount and Claude’s request stays under 32 MB', async () => {
    const pdfs = Array.from({ length: 10 }, (_, i) =>
      h.slack.addFile(`FP${i}`, {
        name: `scan-${i}.pdf`,
        mimetype: 'application/pdf',
        content: pdfOf(FILE_BYTES, `PDF-${i}`),
      }),
    );
    const texts = Array.from({ length: 10 }, (_, i) =>
      h.slack.addFile(`FT${i}`, {
        name: `log-${i}.md`,
        mimetype: 'text/markdown',
        content: textOf(FILE_BYTES, `TEXT-${i}`),
      }),
    );
    const rootTs = h.slack.addMessage(CHANNEL, { user: USER, text: 'The scans', files: pdfs });
    h.slack.addMessage(CHANNEL, { user: USER, text: 'The logs', thread_ts: rootTs, files: texts });

    worker = ChildApp.spawn({ ...h.env, ROLE: 'worker', PORT: '0', LOG_LEVEL: 'info' });
    await worker.waitForLog(/architect started/);
    const pid = worker.proc.pid ?? 0;
    const before = await rssMb(pid);

    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rssMb(pid).catch(() => peak));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    const text = '<@UBOT> review the scans and logs';
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text, thread_ts: rootTs });
    await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'app_mention', user: USER, text, ts, thread_ts: rootTs, channel: CHANNEL }),
    );
    const review = await h.slack.waitFor(
      () =>
        h.slack
          .threadMessages(CHANNEL, rootTs)
          .find((m) => m.bot_id && JSON.stringify(m.blocks ?? []).includes('open_full_review')),
      60_000,
    );
    sampling = false;
    await sampler;

    const growth = peak - before;
    // Shown in the test output: the figure the bound is about.
    process.stdout.write(
      `worker RSS: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak, +${growth.toFixed(0)} MB\n`,
    );
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND_MB);

    expect(h.claude.oversized).toEqual([]);
    expect(h.claude.requests).toHaveLength(1);
    const request = h.claude.lastRequest();
    expect(request?.bytes).toBeLessThan(REQUEST_MAX_BYTES);
    // The review did use files: the first scans, as many as fit, and the beginnings of the first logs.
    const messages = (request?.body.messages ?? []) as { content: { type: string; title?: string }[] }[];
    const documents = messages.flatMap((m) => m.content.filter((b) => b.type === 'document'));
    expect(documents.map((d) => d.title)).toEqual(['scan-0.pdf', 'scan-1.pdf', 'log-0.md', 'log-1.md']);
    const sent = JSON.stringify(request?.body.messages);
    expect(/\[file cut: about 2,8\d\d,\d{3} tokens long/.test(sent)).toBe(true);
    // The rest are named in the review with the reason they were not read.
    const blocks = JSON.stringify(review.blocks);
    expect(blocks).toMatch(/files not read: scan-\d\.pdf \(over the files budget/);
    expect(request?.bytes).toBeGreaterThan(2 * FILE_BYTES);
  }, 90_000);
});
