import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { previewPage } from './block-kit-html';

/**
 * How many screens a message takes, measured by laying its preview page out in headless chromium.
 * A screen is the part of Slack's window that shows the thread:
 * - phone: 390 CSS px wide (an iPhone 14/15), 844 px tall less Slack's header and composer (about 190 px),
 *   so 654 px of thread; buttons stack one per row, as Slack's phone app draws them;
 * - laptop: Slack's thread pane 720 px wide on a 1440×900 display, about 760 px of thread.
 * The preview's fonts and spacing approximate Slack's, so the figures are close, not exact.
 */
export const SCREENS = {
  phone: { width: 390, height: 654 },
  laptop: { width: 720, height: 760 },
} as const;

export interface ScreenMeasure {
  /** The whole message, in screens. */
  total: number;
  /** Where the first actions block (Full review, Save as ADR) ends, in screens from the top. */
  firstActions: number | undefined;
  /** Where the last actions block with a question button ends, in screens. */
  lastQuestion: number | undefined;
}

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Writes each block's top and bottom into the page once laid out, for `--dump-dom` to carry out. */
const MEASURE_SCRIPT = `<script>
addEventListener('load', () => {
  const frame = document.querySelector('.frame');
  const top = frame.getBoundingClientRect().top;
  const blocks = [...frame.querySelectorAll('[data-block]')].map((el) => {
    const r = el.getBoundingClientRect();
    return { type: el.dataset.block, text: el.textContent.slice(0, 40), top: r.top - top, bottom: r.bottom - top };
  });
  const out = document.createElement('pre');
  out.id = 'measure';
  out.textContent = JSON.stringify({ height: frame.getBoundingClientRect().height, blocks });
  document.body.appendChild(out);
});
</script>`;

interface Laid {
  height: number;
  blocks: { type: string; text: string; top: number; bottom: number }[];
}

function layOut(blocks: unknown[], width: number): Laid {
  const dir = mkdtempSync(path.join(tmpdir(), 'architect-screens-'));
  try {
    const file = path.join(dir, 'page.html');
    const page = previewPage([{ label: '', kind: 'message', blocks }], width);
    writeFileSync(file, page.replace('</body>', `${MEASURE_SCRIPT}</body>`));
    const run = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--hide-scrollbars',
        `--window-size=${width + 40},900`,
        '--virtual-time-budget=3000',
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const json = /<pre id="measure">([\s\S]*?)<\/pre>/.exec(run.stdout ?? '')?.[1];
    if (!json) throw new Error(`chromium (${CHROMIUM}) did not lay the page out: ${run.stderr?.slice(0, 300)}`);
    return JSON.parse(json.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Laid;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The message's height and where its first actions and its last question end, in screens of `device`. */
export function measureScreens(blocks: unknown[], device: keyof typeof SCREENS): ScreenMeasure {
  const screen = SCREENS[device];
  const laid = layOut(blocks, screen.width);
  const inScreens = (px: number | undefined) => (px === undefined ? undefined : Math.round((px / screen.height) * 100) / 100);
  const actions = laid.blocks
    .map((b, i) => ({ ...b, source: blocks[i] as { type?: string; elements?: { action_id?: string }[] } }))
    .filter((b) => b.type === 'actions');
  const first = actions.find((b) => b.source.elements?.some((e) => e.action_id === 'open_full_review'));
  const questions = actions.filter((b) => b.source.elements?.some((e) => e.action_id?.startsWith('clarify_question')));
  return {
    total: inScreens(laid.height) ?? 0,
    firstActions: inScreens(first?.bottom),
    lastQuestion: inScreens(questions.at(-1)?.bottom),
  };
}
