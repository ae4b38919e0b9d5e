import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { previewItems, previewPages } from './preview';
import { measureScreens, SCREENS } from './screens';

/**
 * `npm run preview -- <review.json> [--thread thread.txt] [--out DIR] [--screens]`: prints a Block Kit Builder link
 * for each message and view the bot would send for that review, and writes laptop- and phone-width HTML
 * pages of them to look at (open them, or screenshot them with a headless browser). `--screens` lays the
 * reply out in headless chromium and prints how many phone and laptop screens it takes (see screens.ts).
 */
function main(argv: string[]): void {
  const [file, ...rest] = argv;
  if (!file) {
    process.stderr.write('usage: npm run preview -- <review.json> [--thread thread.txt] [--out DIR]\n');
    process.exit(1);
  }
  const option = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const threadFile = option('--thread');
  const out = option('--out') ?? 'preview';
  const items = previewItems(JSON.parse(readFileSync(file, 'utf8')), threadFile ? readFileSync(threadFile, 'utf8') : '');
  const name = path.basename(file, '.json');
  mkdirSync(out, { recursive: true });
  const pages = previewPages(items);
  const laptop = path.join(out, `${name}-laptop.html`);
  const phone = path.join(out, `${name}-phone.html`);
  writeFileSync(laptop, pages.laptop);
  writeFileSync(phone, pages.phone);
  for (const item of items) {
    process.stdout.write(`${item.label} (${item.blocks.length} blocks, ${item.textChars} characters of text)\n  ${item.builderUrl}\n`);
  }
  process.stdout.write(`\nPages: ${laptop}, ${phone}\n`);
  if (rest.includes('--screens')) {
    const reply = items[0];
    if (!reply) return;
    for (const device of ['phone', 'laptop'] as const) {
      const m = measureScreens(reply.blocks, device);
      const { width, height } = SCREENS[device];
      process.stdout.write(
        `${device} (${width} px wide, ${height} px of thread a screen): the reply takes ${m.total} screens; the first actions end at ${m.firstActions ?? '-'}; the last question at ${m.lastQuestion ?? '-'}\n`,
      );
    }
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`preview failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
