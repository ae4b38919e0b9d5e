import { escapeMrkdwn } from '../lib/mrkdwn';
import { mentionsAsText } from './plain-text';

/**
 * Model and user text on its way into anything the bot sends. Two jobs, in one place so every renderer
 * does them the same way: nothing can ping or mention (`<!channel>`, `<!here>`, `<!everyone>`,
 * `<!subteam^…>`, `<@U…>`, `<#C…>`), and Claude's Markdown reads as Slack formatting, not raw `**`.
 */

/**
 * For mrkdwn (section text, context, fallback `text`, modal text): mentions become the words they stand
 * for (`@here`, `@devs`), then Slack's three control characters are escaped, so nothing is a token.
 */
export function plainMrkdwn(text: string): string {
  return escapeMrkdwn(mentionsAsText(text));
}

/**
 * For Markdown surfaces that do not decode entities (streamed `markdown_text`, uploaded files, canvases):
 * a zero-width space after `<` keeps a token visible but no longer a token.
 */
export function neutraliseMarkdown(text: string): string {
  return mentionsAsText(text)
    .replace(/<(?=[!@#])/g, '<\u200b')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (link, label: string, url: string) =>
      misleadingLabel(label, url) ? url : link,
    );
}

/**
 * Claude's Markdown as Slack mrkdwn, after neutralising: **bold** and __bold__ → *bold*, *italic* →
 * _italic_, headings → bold lines, [label](https://…) → <https://…|label>, bullets → •, tables → an
 * aligned code block. Code spans and fences are left as they are (Slack shows them the same way).
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  const lines = mentionsAsText(markdown).replace(/\r\n?/g, '\n').split('\n');
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      // Slack has no syntax highlighting: a language word after the fence would show as code.
      out.push('```');
      continue;
    }
    if (inFence) {
      out.push(escapeMrkdwn(line));
      continue;
    }
    if (isTableRow(line) && isTableSeparator(lines[i + 1] ?? '')) {
      const rows: string[] = [line];
      i += 2;
      while (i < lines.length && isTableRow(lines[i] ?? '')) rows.push(lines[i++] ?? '');
      i -= 1;
      out.push(...tableAsCode(rows));
      continue;
    }
    out.push(inlineLine(line));
  }
  return out.join('\n');
}

function inlineLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return bold(inline(heading[1] ?? ''));
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ''}• ${inline(bullet[2] ?? '')}`;
  return inline(line);
}

/** Inline markup on one line, code spans untouched. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? escapeMrkdwn(part) : inlineOutsideCode(escapeMrkdwn(part))))
    .join('');
}

/** Marks bold while single asterisks become italics; never occurs in escaped text (private use area). */
const BOLD = '\uE000';

function inlineOutsideCode(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) =>
      slackLink(url, label),
    )
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, (_m, t: string) => `${BOLD}${t}${BOLD}`)
    .replace(/__(?=\S)(.+?)(?<=\S)__/g, (_m, t: string) => `${BOLD}${t}${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, (_m, pre: string, t: string) => `${pre}_${t}_`)
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, (_m, t: string) => `~${t}~`)
    .replaceAll(BOLD, '*');
}

/** Host names in a text: `github.com`, `evil.example`, `www.acme.io`. */
const HOST_PATTERN = /(?:^|[^\w.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?=$|[^\w-])/gi;

/**
 * A Markdown link as Slack's `<url|label>`, unless its label could mislead: a label that looks like an
 * address, or that names a host other than the target's, would show one place and open another
 * (`[https://github.com/…](https://evil.example/login)`). Then the real target is shown instead.
 */
function slackLink(url: string, label: string): string {
  return misleadingLabel(label, url) ? `<${url}>` : `<${url}|${label}>`;
}

/** Whether a link's label looks like an address or names a host other than the target's. */
export function misleadingLabel(label: string, url: string): boolean {
  const target = hostOf(url);
  const plain = label.replaceAll('&amp;', '&');
  const looksLikeAddress =
    /^\s*(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)/i.test(plain) ||
    /^\s*(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/:?#]\S*)?\s*$/i.test(plain);
  const hosts = [...plain.matchAll(HOST_PATTERN)].map((m) => (m[1] ?? '').toLowerCase());
  const namesOtherHost = hosts.some((host) => host !== target && !target?.endsWith(`.${host}`));
  return target === undefined || looksLikeAddress || namesOtherHost;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url.replaceAll('&amp;', '&')).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function bold(text: string): string {
  const trimmed = text.trim().replace(/^\*+|\*+$/g, '');
  return trimmed ? `*${trimmed}*` : '';
}

const isTableRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const isTableSeparator = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/** A Markdown table as aligned columns in a code block, which Slack shows in a fixed-width font. */
function tableAsCode(rows: string[]): string[] {
  const cells = rows.map((row) =>
    row
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim().replace(/\*\*|`/g, '')),
  );
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  const lines = cells.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return ['```', ...lines.map(escapeMrkdwn), '```'];
}
