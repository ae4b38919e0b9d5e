import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { previewItems, previewPages } from '../../scripts/preview/preview';
import { fixtureThread } from '../fixtures/reviews';
import { ROOT } from '../helpers/architect-harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/reviews/long-review.json');
const longJson = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown;

describe('npm run preview', () => {
  it('lists each message and view the bot would send, each with a Block Kit Builder link to its payload', () => {
    const items = previewItems(longJson());
    expect(items.map((i) => i.label)).toEqual(
      expect.arrayContaining(['The reply in the thread', 'Full review (modal, from the reply’s button)']),
    );
    for (const item of items) {
      const payload = JSON.parse(decodeURIComponent(item.builderUrl.split('#')[1] ?? '')) as {
        blocks: unknown[];
      };
      expect(payload.blocks).toEqual(item.blocks);
    }
  });

  it('draws them as laptop- and phone-width pages a person can look at', () => {
    const thread = fixtureThread('long-review')
      .messages.map((m) => m.text)
      .join('\n');
    const { laptop, phone } = previewPages(previewItems(longJson(), thread));
    expect(laptop).toContain('width:720px');
    expect(phone).toContain('width:390px');
    expect(laptop).toContain('Orders and payments on Kafka');
    expect(laptop).toContain('class="button primary">Full review');
    expect(laptop).not.toContain('**');
  });

  it('runs from the command line and writes the pages', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'architect-preview-'));
    const threadFile = path.join(out, 'thread.txt');
    writeFileSync(
      threadFile,
      fixtureThread('long-review')
        .messages.map((m) => m.text)
        .join('\n'),
    );
    const run = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/preview/main.ts', FIXTURE, '--thread', threadFile, '--out', out],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('https://app.slack.com/block-kit-builder/#');
    expect(existsSync(path.join(out, 'long-review-laptop.html'))).toBe(true);
    expect(existsSync(path.join(out, 'long-review-phone.html'))).toBe(true);
  });

  it('says how to use it, and exits 1, without a review file', () => {
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/preview/main.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run preview');
  });
});
