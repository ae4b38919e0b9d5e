/**
 * Text helpers for Slack mrkdwn. Everything here is pure and measures length with String#length
 * (UTF-16 code units), the same unit the Block Kit limit checks use.
 */

const ELLIPSIS = '…';

/**
 * Escapes the three characters Slack treats as control characters in mrkdwn, so model or user text can
 * never produce `<!channel>` pings, `<@U…>` mentions or `<url|label>` links. Slack asks for exactly these
 * three and nothing more: escaping anything else would show up literally.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** True when the UTF-16 code unit at `index` is the first half of a surrogate pair (e.g. an emoji). */
function isHighSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The longest prefix of `text` no longer than `max` that does not end inside a surrogate pair or
 * inside an escape entity such as `&amp;` (half an entity would render as garbage).
 */
export function safePrefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  if (end > 0 && isHighSurrogate(text, end - 1)) end -= 1;
  const prefix = text.slice(0, end);
  const partialEntity = /&[a-z]{0,3}$/.exec(prefix);
  return partialEntity ? prefix.slice(0, partialEntity.index) : prefix;
}

/** Cuts `text` to at most `max` code units, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return safePrefix(text, max - ELLIPSIS.length) + ELLIPSIS;
}

/**
 * Wraps each non-blank line in a mrkdwn marker (`*` bold, `_` italic). Slack only honours a marker pair
 * on a single line with no space just inside it, so wrapping line by line and trimming keeps the
 * emphasis working; blank text yields '' rather than a stray `**`.
 */
export function emphasize(marker: '*' | '_', text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => `${marker}${line}${marker}`)
    .join('\n');
}

/**
 * Splits one over-long line into pieces of at most `max`, breaking at the last whitespace when one
 * exists in the second half of the window (so words stay whole) and otherwise hard-cutting with an
 * ellipsis so the reader sees the text goes on.
 */
function splitLongLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const window = safePrefix(rest, max);
    const lastSpace = window.search(/\s\S*$/);
    if (lastSpace > max / 2) {
      pieces.push(window.slice(0, lastSpace));
      rest = rest.slice(lastSpace + 1);
    } else {
      const cut = safePrefix(rest, max - ELLIPSIS.length);
      // A run of entities or surrogates can make the safe prefix empty only for absurdly small limits.
      const taken = cut.length > 0 ? cut : rest.slice(0, max - ELLIPSIS.length);
      pieces.push(taken + ELLIPSIS);
      rest = rest.slice(taken.length);
    }
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Splits mrkdwn text into chunks of at most `max` code units, packing whole lines together and
 * splitting only lines that cannot fit on their own. Blank chunks are dropped because Slack refuses
 * empty section text.
 */
export function splitIntoChunks(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    const trimmed = current.replace(/^\n+/, '').trimEnd();
    if (trimmed.trim().length > 0) chunks.push(trimmed);
    current = '';
  };
  for (const line of text.split('\n')) {
    for (const piece of line.length > max ? splitLongLine(line, max) : [line]) {
      const joined = current.length === 0 ? piece : `${current}\n${piece}`;
      if (joined.length <= max) {
        current = joined;
      } else {
        flush();
        current = piece;
      }
    }
  }
  flush();
  return chunks;
}

/** Formats an integer with thousands separators, independent of the host's locale. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
