import type { AdrContent, AdrSection, SectionKey } from './adr-document';

/**
 * A team's own ADR template (adr-tools' `template.md`, MADR's `adr-template.md`, log4brains' `template.md`)
 * filled with a saved decision: the title and number where the template puts them, status and date in
 * its front matter, metadata lines or Status section, each of its sections that Architect has content
 * for filled with it, and its other sections left as empty headings for the team. Placeholder text
 * (`{…}`, `[…]`, HTML comments, adr-tools' capitalised words) never reaches the file, and content the
 * template has no section for is added at the end under its own heading, so nothing is lost.
 */
export function fillAdrTemplate(template: string, content: AdrContent, number: number | undefined): string {
  const text = template.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '');
  const frontMatter = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  const body = frontMatter ? text.slice(frontMatter[0].length) : text;
  const blocks = splitSections(body);
  const used = new Set<SectionKey>();
  const out: string[] = [];
  if (frontMatter) out.push(fillFrontMatter(frontMatter[1] ?? '', content));

  let titled = false;
  for (const line of blocks.preamble) {
    const heading = /^#[ \t]+(.*)$/.exec(line);
    if (heading && !titled) {
      out.push(`# ${fillTitle(heading[1] ?? '', content.title, number)}`);
      titled = true;
      continue;
    }
    const filled = fillMetadata(line, content);
    if (filled !== undefined) out.push(filled);
  }
  if (!titled) out.unshift(`# ${content.title}`);

  for (const block of blocks.sections) {
    if (isPlaceholder(block.title)) continue;
    const key = sectionKey(block.title);
    const hashes = '#'.repeat(block.level);
    if (key === 'status') {
      out.push(`${hashes} ${block.title}`, '', capitalised(content.status), '');
      continue;
    }
    const ours = key ? content.sections.find((s) => s.key === key) : undefined;
    if (ours && key) used.add(key);
    out.push(`${hashes} ${block.title}`, '');
    if (ours)
      out.push(
        key === 'outcome' && /^decision$/i.test(block.title.trim()) ? decisionOnly(ours) : ours.body,
        '',
      );
  }
  // What the template has no place for goes last, under the heading Architect gives it.
  for (const s of content.sections.filter((s) => !used.has(s.key))) {
    out.push(`## ${s.heading}`, '', s.body, '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

interface TemplateSection {
  level: number;
  title: string;
}

function splitSections(body: string): { preamble: string[]; sections: TemplateSection[] } {
  const preamble: string[] = [];
  const sections: TemplateSection[] = [];
  for (const line of body.split('\n')) {
    const heading = /^(#{2,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/.exec(line);
    if (heading) sections.push({ level: heading[1]?.length ?? 2, title: heading[2] ?? '' });
    else if (sections.length === 0) preamble.push(line);
    // Lines under a section heading are the template's guidance, replaced by content or left out.
  }
  return { preamble, sections };
}

/** The title line: the template's NUMBER/NNN and TITLE filled, or the title alone over a placeholder. */
function fillTitle(heading: string, title: string, number: number | undefined): string {
  let line = heading;
  if (number !== undefined) {
    line = line
      .replace(/\bNUMBER\b/g, String(number))
      .replace(/\bN{2,}\b/g, (n) => String(number).padStart(n.length, '0'));
  }
  if (/\bTITLE\b|\bTitle\b/.test(line)) return line.replace(/\bTITLE\b|\bTitle\b/, title).trim();
  return title;
}

/** A `Status:`/`Date:` line (bare or a bullet) filled; other metadata lines kept unless they are placeholders. */
function fillMetadata(line: string, content: AdrContent): string | undefined {
  const field = /^([ \t]*(?:[*-][ \t]+)?)(\**)([A-Za-z][\w -]*?)(\**):[ \t]*(.*)$/.exec(line);
  if (!field) return isPlaceholder(line) ? undefined : line;
  const [, lead = '', open = '', name = '', close = '', value = ''] = field;
  // "Proposed | Accepted": the folder writes its statuses capitalised.
  const status = /^[A-Z]/.test(value.trim()) ? capitalised(content.status) : content.status;
  if (/^status$/i.test(name)) return `${lead}${open}${name}${close}: ${status}`;
  if (/^date$/i.test(name)) return `${lead}${open}${name}${close}: ${content.date}`;
  return isPlaceholder(value) || value.trim() === '' ? undefined : line;
}

function fillFrontMatter(yaml: string, content: AdrContent): string {
  const lines = yaml
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .flatMap((l) => {
      const m = /^([\w-]+):[ \t]*(.*)$/.exec(l);
      if (!m) return l.trim() === '' ? [] : [l];
      if (m[1] === 'status') return [`status: ${JSON.stringify(content.status)}`];
      if (m[1] === 'date') return [`date: ${content.date}`];
      return isPlaceholder(m[2] ?? '') ? [] : [l];
    });
  if (!lines.some((l) => l.startsWith('status:'))) lines.unshift(`status: ${JSON.stringify(content.status)}`);
  if (!lines.some((l) => l.startsWith('date:'))) lines.push(`date: ${content.date}`);
  return ['---', ...lines, '---', ''].join('\n');
}

const SECTION_KEYS: [SectionKey | 'status', RegExp][] = [
  ['status', /^status$/i],
  ['prosCons', /pros and cons/i],
  ['drivers', /drivers|forces/i],
  ['options', /options|alternatives/i],
  ['consequences', /consequences|implications/i],
  ['context', /context|problem|background/i],
  ['outcome', /^(?:the )?decision(?: outcome| made)?$|^outcome$/i],
  ['more', /more information|links|references|related/i],
];

function sectionKey(title: string): SectionKey | 'status' | undefined {
  return SECTION_KEYS.find(([, pattern]) => pattern.test(title.trim()))?.[0];
}

/** Template words to fill in: `{…}`, `[…]`, `a | b` choices, adr-tools' DATE/STATUS/TITLE. */
function isPlaceholder(text: string): boolean {
  const t = text.trim();
  return /^[{[].*[}\]]$/.test(t) || /[{[][^}\]]*[}\]]/.test(t) || /\s\|\s/.test(t) || /^[A-Z]{4,}$/.test(t);
}

/** Under a plain "Decision" heading, the decision itself, without MADR's "Chosen option" line. */
function decisionOnly(outcome: AdrSection): string {
  return outcome.body.replace(/^Chosen option: .*\n\n/, '');
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
