import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sniffImage } from '../../../src/consultation/files/file-blocks';
import {
  classifyFile,
  isAllowedFileUrl,
  parseSlackFiles,
  type SlackFile,
  slackFileOrigins,
} from '../../../src/consultation/files/which-files';
import { ByteBudget } from '../../../src/lib/byte-budget';
import { BUSY, ThreadFileReader } from '../../../src/slack/files/thread-file-reader';
import { SlackApiFake } from '../../fakes/slack-api-fake';

/** A 1×1 PNG. */
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** A one-page PDF, as far as the reader can tell. */
const PDF_BYTES = Buffer.from('%PDF-1.4\n3 0 obj << /Type /Page >> endobj\n%%EOF\n', 'latin1');
const MB = 1024 * 1024;

const file = (over: Partial<SlackFile>): SlackFile => ({
  id: 'F1',
  name: 'design.md',
  mimetype: 'text/markdown',
  filetype: 'markdown',
  size: 10,
  mode: 'hosted',
  isExternal: false,
  fileAccess: undefined,
  url: 'https://files.slack.com/files-pri/T1-F1/design.md',
  ...over,
});

/** A loopback server that counts requests and answers each with `answer`. */
async function startServer(
  answer: (res: import('node:http').ServerResponse) => void,
): Promise<{ server: Server; origin: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, hits: () => hits };
}
const stop = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('which files are read', () => {
  it('parses Slack file objects and skips malformed entries', () => {
    const files = parseSlackFiles([
      { id: 'F1', name: 'a.md', mimetype: 'text/markdown', filetype: 'markdown', size: 3, url_private: 'u' },
      { name: 'no id' },
      'not an object',
      { id: 'F2', title: 'Untitled', size: -1 },
      { id: 'F3', title: 'Canvas', filetype: 'quip', url_private_download: 'd', url_private: 'p' },
    ]);
    expect(files.map((f) => [f.id, f.name, f.url])).toEqual([
      ['F1', 'a.md', 'u'],
      ['F3', 'Canvas', 'd'],
    ]);
    expect(parseSlackFiles(undefined)).toEqual([]);
  });

  it('classifies text, PDFs and images, and says why anything else is not read', () => {
    expect(classifyFile(file({}))).toEqual({ kind: 'text' });
    expect(classifyFile(file({ mimetype: 'text/plain', filetype: 'python' }))).toEqual({ kind: 'text' });
    expect(classifyFile(file({ mimetype: 'application/x-yaml', filetype: 'yaml' }))).toEqual({
      kind: 'text',
    });
    expect(classifyFile(file({ mimetype: 'application/pdf', filetype: 'pdf' }))).toEqual({ kind: 'pdf' });
    expect(classifyFile(file({ mimetype: 'image/webp', filetype: 'webp' }))).toEqual({ kind: 'image' });
    expect(classifyFile(file({ mimetype: 'application/zip', filetype: 'zip' }))).toEqual({
      skip: 'type zip not supported',
    });
    expect(classifyFile(file({ isExternal: true }))).toEqual({ skip: 'stored outside Slack' });
    expect(classifyFile(file({ fileAccess: 'check_file_info' }))).toEqual({
      skip: 'shared from another workspace',
    });
  });

  it('allows only Slack’s file host and SLACK_API_URL’s origin (scheme, host and port)', () => {
    const origins = slackFileOrigins('http://127.0.0.1:4000/api/');
    expect(isAllowedFileUrl('https://files.slack.com/files-pri/x', origins)).toBe(true);
    expect(isAllowedFileUrl('http://127.0.0.1:4000/files/F1/a.md', origins)).toBe(true);
    expect(isAllowedFileUrl('http://127.0.0.1:4001/files/F1/a.md', origins)).toBe(false);
    expect(isAllowedFileUrl('http://files.slack.com/files-pri/x', origins)).toBe(false);
    expect(isAllowedFileUrl('https://files.slack.com.evil.example/x', origins)).toBe(false);
    expect(isAllowedFileUrl('https://user:pw@files.slack.com/x', origins)).toBe(false);
    expect(isAllowedFileUrl('not a url', origins)).toBe(false);
  });

  it('recognises images by their bytes, not their name', () => {
    expect(sniffImage(PNG_BYTES)).toBe('image/png');
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('<html>sign in</html>'))).toBeUndefined();
  });
});

describe('ThreadFileReader against the Slack fake', () => {
  let slack: SlackApiFake;
  const reader = (maxBytes = 1024 * 1024) =>
    new ThreadFileReader({
      token: slack.botToken,
      apiUrl: slack.apiUrl,
      limits: { maxBytes, textTokenBudget: 50, timeoutMs: 2000 },
    });
  const served = (id: string, name: string, mimetype: string, content: Buffer): SlackFile => {
    const info = slack.addFile(id, { name, mimetype, content });
    const [parsed] = parseSlackFiles([info]);
    if (!parsed) throw new Error('fake file did not parse');
    return parsed;
  };

  beforeEach(async () => {
    slack = await SlackApiFake.start();
  });
  afterEach(async () => {
    await slack.close();
  });

  it('reads text as a named document (cut to its budget) and a PNG as an image block', async () => {
    const md = served('F1', 'design.md', 'text/markdown', Buffer.from(`# Design\n${'word '.repeat(500)}`));
    const png = served('F2', 'diagram.png', 'image/png', PNG_BYTES);
    const [text, image] = await reader().readAll([md, png], 100_000);
    expect(text).toMatchObject({
      blocks: [{ type: 'document', title: 'design.md', source: { type: 'text', media_type: 'text/plain' } }],
    });
    expect(JSON.stringify(text)).toContain('# Design');
    expect(JSON.stringify(text)).toContain('[file cut:');
    expect(image).toMatchObject({
      blocks: [
        { type: 'text', text: '[image: diagram.png]' },
        {
          type: 'image',
          source: { type: 'base64', media_type: 'image/png', data: PNG_BYTES.toString('base64') },
        },
      ],
    });
  });

  it('does not download a file declared too large, and stops one that turns out too large', async () => {
    const big = served('F1', 'big.md', 'text/markdown', Buffer.alloc(5000, 'a'));
    const liar = { ...served('F2', 'liar.md', 'text/markdown', Buffer.alloc(5000, 'b')), size: 10 };
    const [declared, actual] = await reader(1000).readAll([big, liar], 100_000);
    expect(declared).toMatchObject({ reason: expect.stringMatching(/^too large/) });
    expect(actual).toMatchObject({ reason: expect.stringMatching(/^too large/) });
  });

  it('never fetches a foreign host, and never follows a redirect', async () => {
    const foreign = await startServer((res) => res.end('secret'));
    const redirecting = await startServer((res) => {
      res.writeHead(302, { location: `${foreign.origin}/stolen` });
      res.end();
    });
    try {
      const onForeign = file({ url: `${foreign.origin}/files/F1/design.md` });
      const viaRedirect = file({ id: 'F2', url: `${redirecting.origin}/files/F2/design.md` });
      const redirectReader = new ThreadFileReader({
        token: 'xoxb-test-token',
        apiUrl: `${redirecting.origin}/api/`,
        limits: { maxBytes: 1000, textTokenBudget: 100, timeoutMs: 2000 },
      });
      expect(await reader().read(onForeign)).toMatchObject({ reason: 'not on Slack’s file host' });
      expect(await redirectReader.read(viaRedirect)).toMatchObject({
        reason: 'redirected elsewhere (not followed)',
      });
      expect(redirecting.hits()).toBe(1);
      expect(foreign.hits()).toBe(0);
    } finally {
      await Promise.all([stop(foreign.server), stop(redirecting.server)]);
    }
  });

  it('holds no more file bytes at once than the process budget: a consultation over it waits, then skips the file with a note', async () => {
    const budget = new ByteBudget(PDF_BYTES.length + 10);
    const first = budget.hold();
    const second = budget.hold();
    const pdf = served('F7', 'spec.pdf', 'application/pdf', PDF_BYTES);
    const one = await reader().holding(first).read(pdf);
    expect(one).toMatchObject({ tokens: expect.any(Number) });
    expect(budget.inUse).toBeGreaterThanOrEqual(PDF_BYTES.length);
    // The first consultation still holds its file: the second waits its download timeout, then goes on without.
    const short = new ThreadFileReader({
      token: slack.botToken,
      apiUrl: slack.apiUrl,
      limits: { maxBytes: MB, textTokenBudget: 50, timeoutMs: 150 },
    });
    expect(await short.holding(second).read(pdf)).toEqual({ file: pdf, reason: BUSY });
    // Once the first consultation ends, the second gets its turn.
    const waiting = reader().holding(second).read(pdf);
    first.release();
    expect(await waiting).toMatchObject({ tokens: expect.any(Number) });
    second.release();
    expect(budget.inUse).toBe(0);
  });

  it('gives up on a download that takes too long', async () => {
    const slow = await startServer(() => {
      // Never answers.
    });
    try {
      const slowReader = new ThreadFileReader({
        token: 'xoxb-test-token',
        apiUrl: `${slow.origin}/api/`,
        limits: { maxBytes: 1000, textTokenBudget: 100, timeoutMs: 200 },
      });
      expect(await slowReader.read(file({ url: `${slow.origin}/files/F1/design.md` }))).toMatchObject({
        reason: 'download timed out',
      });
    } finally {
      slow.server.closeAllConnections();
      await stop(slow.server);
    }
  });

  it('lists files over the token budget as not read', async () => {
    const png = served('F1', 'a.png', 'image/png', PNG_BYTES);
    const png2 = served('F2', 'b.png', 'image/png', PNG_BYTES);
    const [first, second] = await reader().readAll([png, png2], 2000);
    expect(first).toHaveProperty('blocks');
    expect(second).toMatchObject({ reason: 'over the context budget' });
  });

  it('decides from Slack’s metadata: a file past the files or the token budget is never downloaded', async () => {
    // Declared sizes as Slack states them: two 11 MB PDFs do not both fit Claude's 20 MB of files.
    const first = { ...served('F1', 'first.pdf', 'application/pdf', PDF_BYTES), size: 11 * MB };
    const second = { ...served('F2', 'second.pdf', 'application/pdf', PDF_BYTES), size: 11 * MB };
    const png = served('F3', 'diagram.png', 'image/png', PNG_BYTES);
    const png2 = served('F4', 'sketch.png', 'image/png', PNG_BYTES);
    const [a, b, c, d] = await reader(12 * MB).readAll([first, second, png, png2], 6000);
    expect(a).toHaveProperty('blocks');
    expect(b).toMatchObject({
      reason: expect.stringMatching(/^over the files budget \(20\.0 MB a consultation/),
    });
    expect(c).toHaveProperty('blocks');
    // A page of PDF (3,000 tokens) and an image (1,600) leave 1,400 of the 6,000: not enough for another.
    expect(d).toMatchObject({ reason: 'over the context budget' });
    expect(slack.fileDownloads).toEqual(['F1', 'F3']);
  });

  it('reads only the beginning of a long text file, and says how long the whole file is', async () => {
    const long = served('F1', 'log.md', 'text/markdown', Buffer.from('word '.repeat(200_000)));
    const [result] = await reader(2 * MB).readAll([long], 100_000);
    const data = JSON.stringify(result);
    const whole = Number(/\[file cut: about ([\d,]+) tokens long/.exec(data)?.[1]?.replace(/,/g, ''));
    // 1 MB of ASCII is about 286,000 tokens by the local estimate; the note states that, not the part read.
    expect(whole).toBeGreaterThan(250_000);
    expect(whole).toBeLessThan(320_000);
    expect(result).toMatchObject({ tokens: expect.any(Number) });
    expect((result as { tokens: number }).tokens).toBeLessThanOrEqual(50);
  });

  it('does not read a PDF that turns out larger than Slack declared', async () => {
    const liar = {
      ...served('F1', 'liar.pdf', 'application/pdf', Buffer.concat([PDF_BYTES, Buffer.alloc(5000)])),
      size: 100,
    };
    expect(await reader().read(liar)).toMatchObject({ reason: 'larger than the 1 kB Slack declared' });
  });
});
