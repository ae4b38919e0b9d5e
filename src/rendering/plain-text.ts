/**
 * Claude's Markdown as text a person reads where Slack shows no formatting: plain_text fields (headers,
 * buttons, modal titles), the message's `text` (push notifications, the thread list, search) and link
 * labels. Markup markers go, content stays, and Slack's special tokens become readable words that can
 * no longer ping anyone.
 */

const SPECIAL = /<([!@#])([^>|]*)(?:\|([^>]*))?>/g;

/**
 * `<!here>` → `@here`, `<!subteam^S1|devs>` → `@devs`, `<@U1>` → `@U1`, `<#C1|general>` → `#general`,
 * `<!date^…|Monday>` → `Monday`. Written as words, a mention reads as the person meant it and pings no one:
 * Slack only notifies for the bracketed tokens, never for the same text typed out in a bot's message.
 */
export function mentionsAsText(text: string): string {
  return text.replace(SPECIAL, (_m, sigil: string, body: string, label: string | undefined) => {
    const name = label?.trim() || body.replace(/^subteam\^/, '').trim();
    if (sigil === '#') return `#${name}`;
    if (sigil === '@') return `@${name}`;
    if (body.startsWith('date^')) return label?.trim() || 'a date';
    return `@${name}`;
  });
}

const isFence = (line: string) => /^\s*```/.test(line);
const isTableSeparator = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/** Inline Markdown without its markers: emphasis, code ticks and link targets go, the words stay. */
export function inlinePlain(text: string): string {
  return mentionsAsText(text)
    .replace(/!?\[([^\]]+)\]\((?:https?:\/\/|mailto:)[^\s)]+\)/g, '$1')
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, '$2')
    .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/`+([^`]*)`+/g, '$1');
}

/**
 * Markdown as plain lines: headings lose their `#` (and, with `dropHeadings`, go altogether: "## Summary"
 * is a label for a reader of the document, not news), bullets become •, table rows become cells joined
 * by " · ", fences go and their lines stay.
 */
export function markdownToPlain(markdown: string, options: { dropHeadings?: boolean } = {}): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (isFence(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    if (isTableSeparator(line)) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      if (!options.dropHeadings) out.push(inlinePlain(heading[1] ?? ''));
      continue;
    }
    const row = /^\s*\|(.*)\|\s*$/.exec(line);
    if (row) {
      out.push(
        (row[1] ?? '')
          .split('|')
          .map((c) => inlinePlain(c.trim()))
          .join(' · '),
      );
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    out.push(bullet ? `${bullet[1] ?? ''}• ${inlinePlain(bullet[2] ?? '')}` : inlinePlain(line));
  }
  return out.join('\n');
}

/** Markdown as one line of plain text (a header, a button, a notification): whitespace folded. */
export function plainLine(markdown: string, options: { dropHeadings?: boolean } = {}): string {
  return markdownToPlain(markdown, options).replace(/\s+/g, ' ').trim();
}
