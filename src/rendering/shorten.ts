import { safePrefix } from '../lib/mrkdwn';

/**
 * Shortens Slack mrkdwn the way an editor would: at the end of a sentence where one falls in the second
 * half of the room, else between words, and never inside a code span, a link or an emphasis (a cut there
 * leaves raw characters: an unclosed `` ` ``, `*never re…`, half a `<url|label>`). A fenced code block is
 * only cut between its lines, and closed again. The ellipsis says the text goes on.
 */

const ELLIPSIS = '…';

interface Span {
  start: number;
  end: number;
  /** Cut inside only at a line break, then close with this (fences); undefined: never cut inside. */
  closeWith?: string;
}

/** Code fences, code spans, links and emphasis pairs: the places a cut would break. */
function atomicSpans(text: string): Span[] {
  const spans: Span[] = [];
  const fences = /```[\s\S]*?(?:```|$)/g;
  for (const m of text.matchAll(fences)) {
    spans.push({ start: m.index, end: m.index + m[0].length, closeWith: '\n```' });
  }
  const inFence = (i: number) => spans.some((s) => s.closeWith && i > s.start && i < s.end);
  const patterns = [
    /`[^`\n]+`/g,
    /<[^<>\n]+>/g,
    // Slack's emphasis: a marker after a boundary, text not starting or ending with a space, on one line.
    /(?<=^|[\s(["'“‘])([*_~])(?=\S)[^\n]*?(?<=\S)\1(?=$|[\s).,:;!?'"”’\]])/gm,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      if (!inFence(m.index)) spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}

interface Cut {
  at: number;
  sentence: boolean;
  suffix: string;
}

/** Every place `text` may be cut: before whitespace, outside atomic spans (fences: at a line break). */
function cuts(text: string, spans: Span[]): Cut[] {
  const found: Cut[] = [];
  for (const m of text.matchAll(/\s+/g)) {
    const at = m.index;
    const inside = spans.filter((s) => at > s.start && at < s.end);
    if (inside.some((s) => !s.closeWith || m[0].indexOf('\n') < 0)) continue;
    const suffix = inside.some((s) => s.closeWith) ? '\n```' : '';
    const before = text.slice(0, at);
    const sentence = suffix === '' && (/[.!?][)*_~"'”’]*$/.test(before) || m[0].includes('\n'));
    found.push({ at, sentence, suffix });
  }
  return found;
}

export function shortenMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const candidates = cuts(text, atomicSpans(text)).filter(
    (c) => trimmed(text, c).length + c.suffix.length + ELLIPSIS.length + 1 <= max,
  );
  const late = (c: Cut) => c.at >= max * 0.5;
  const pick =
    candidates.filter((c) => c.sentence && late(c)).pop() ??
    candidates.filter((c) => late(c)).pop() ??
    candidates.pop();
  if (!pick || pick.at === 0) return safePrefix(text, max - ELLIPSIS.length) + ELLIPSIS;
  const head = trimmed(text, pick);
  if (pick.suffix) return `${head}\n${ELLIPSIS}${pick.suffix}`;
  // After a sentence, or after a closing marker (which Slack honours only before a space), a space.
  return `${head}${pick.sentence || /[*_~`>]$/.test(head) ? ' ' : ''}${ELLIPSIS}`;
}

/** The text before a cut, without trailing spaces or a dangling comma or dash. */
function trimmed(text: string, cut: Cut): string {
  const head = text.slice(0, cut.at).trimEnd();
  return cut.sentence ? head : head.replace(/\s*[,–—-]$/, '');
}
