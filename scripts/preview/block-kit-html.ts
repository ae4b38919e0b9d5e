/**
 * A close-enough HTML picture of Block Kit as Slack draws it, so a change to the layout can be looked
 * at (in a browser or a headless screenshot) where Slack itself cannot be reached. Not Slack: fonts,
 * emoji and spacing are approximations; the structure, order and amount of text are faithful.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  large_yellow_circle: '🟡',
  octagonal_sign: '🛑',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  white_circle: '⚪',
  hourglass_flowing_sand: '⏳',
  speech_balloon: '💬',
  mag: '🔍',
  thought_balloon: '💭',
  writing_hand: '✍️',
  building_construction: '🏗️',
  warning: '⚠️',
};

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack mrkdwn to HTML: entities stay as Slack sends them, markup becomes tags. */
export function mrkdwnToHtml(text: string): string {
  const parts = text.split(/(```[\s\S]*?```)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return `<pre>${part.slice(3, -3).replace(/^\n/, '')}</pre>`;
      return part
        .split('\n')
        .map((line) => {
          const quote = /^&gt; ?(.*)$/.exec(line);
          const body = inlineHtml(quote ? (quote[1] ?? '') : line);
          return quote ? `<blockquote>${body}</blockquote>` : body;
        })
        .join('<br>');
    })
    .join('');
}

function inlineHtml(text: string): string {
  return text
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/&lt;(https?:\/\/[^|]+?)\|(.+?)&gt;|<(https?:\/\/[^|>]+)\|([^>]+)>/g, (_m, u1, l1, u2, l2) => `<a href="${u1 ?? u2}">${l1 ?? l2}</a>`)
    .replace(/<!date\^\d+\^[^|]*\|([^>]+)>/g, '$1')
    .replace(/<#(C[A-Z0-9]+)>/g, '<span class="mention">#$1</span>')
    .replace(/<@(U[A-Z0-9]+)>/g, '<span class="mention">@$1</span>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
}

function textHtml(t: unknown): string {
  if (!isObj(t)) return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(str(t.text)) : inlineHtml(escapeHtml(str(t.text)));
}

function elementHtml(e: unknown): string {
  if (!isObj(e)) return '';
  switch (e.type) {
    case 'button':
      return `<span class="button ${str(e.style)}">${textHtml(e.text)}</span>`;
    case 'static_select':
      return `<span class="button select">${textHtml(e.placeholder)} ▾</span>`;
    case 'feedback_buttons': {
      const pos = isObj(e.positive_button) ? textHtml(e.positive_button.text) : '';
      const neg = isObj(e.negative_button) ? textHtml(e.negative_button.text) : '';
      return `<span class="feedback">👍 ${pos}</span><span class="feedback">👎 ${neg}</span>`;
    }
    case 'mrkdwn':
    case 'plain_text':
      return `<span>${textHtml(e)}</span>`;
    default:
      return `<span class="unknown">[${escapeHtml(str(e.type))}]</span>`;
  }
}

export function blocksToHtml(blocks: unknown[]): string {
  return blocks.map((b) => `<div data-block="${isObj(b) ? escapeHtml(str(b.type)) : ''}">${blockHtml(b)}</div>`).join('\n');
}

function blockHtml(b: unknown): string {
  if (!isObj(b)) return '';
  const elements = Array.isArray(b.elements) ? b.elements : [];
  switch (b.type) {
    case 'header':
      return `<h2>${textHtml(b.text)}</h2>`;
    case 'section':
      return `<div class="section">${textHtml(b.text)}</div>`;
    case 'context':
      return `<div class="context">${elements.map(elementHtml).join(' ')}</div>`;
    case 'divider':
      return '<hr>';
    case 'actions':
    case 'context_actions':
      return `<div class="actions">${elements.map(elementHtml).join('')}</div>`;
    case 'input':
      return `<div class="input"><label>${textHtml(b.label)}</label><div class="field"></div></div>`;
    default:
      return `<div class="unknown">[${escapeHtml(str(b.type))} block]</div>`;
  }
}

const STYLE = `
body{font-family:Lato,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:15px;color:#1d1c1d;margin:0;background:#f8f8f8}
.frame{background:#fff;margin:16px;padding:12px 16px;border:1px solid #ddd;border-radius:8px}
.who{font-weight:900;margin-bottom:4px}.who small{font-weight:400;color:#616061;margin-left:6px}
h2{font-size:18px;margin:6px 0}.section{margin:6px 0;line-height:1.45}.context{color:#616061;font-size:13px;margin:6px 0}
hr{border:0;border-top:1px solid #e8e8e8;margin:10px 0}.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.button{border:1px solid #bbb;border-radius:4px;padding:4px 10px;font-weight:700;font-size:13px;white-space:nowrap}
.button.primary{background:#007a5a;color:#fff;border-color:#007a5a}.feedback{border:1px solid #ddd;border-radius:12px;padding:2px 8px;font-size:12px}
code{background:#f4f4f4;border:1px solid #e0e0e0;border-radius:3px;padding:0 3px;color:#c01343;font-size:12px}
pre{background:#f8f8f8;border:1px solid #e0e0e0;padding:8px;font-size:12px;white-space:pre-wrap}
blockquote{border-left:4px solid #ddd;margin:2px 0;padding-left:8px;color:#454245}.mention{background:#e8f5fa;color:#1264a3}
.modal-title{font-weight:900;font-size:18px;border-bottom:1px solid #ddd;padding-bottom:8px}.label{color:#616061;font-size:12px;margin:16px 16px 0}`;

/**
 * Slack's phone app draws each button of an actions block on a row of its own, as wide as the message;
 * on a laptop they sit side by side and wrap.
 */
const PHONE_STYLE = `.actions{flex-direction:column}.actions .button{display:block;text-align:center;padding:9px 10px;white-space:normal}`;

/** One page with each message or view in its own frame; `width` is the page's CSS width in pixels. */
export function previewPage(items: { label: string; kind: 'message' | 'modal'; title?: string; blocks: unknown[] }[], width: number): string {
  const frames = items
    .map(
      (item) =>
        `<div class="label">${escapeHtml(item.label)}</div><div class="frame">${
          item.kind === 'modal'
            ? `<div class="modal-title">${escapeHtml(item.title ?? '')}</div>`
            : '<div class="who">Architect <small>APP 10:42</small></div>'
        }${blocksToHtml(item.blocks)}</div>`,
    )
    .join('\n');
  const phone = width <= 480 ? PHONE_STYLE : '';
  return `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}${phone} body{width:${width}px}</style></head><body>${frames}</body></html>`;
}
