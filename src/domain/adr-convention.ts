import type { AdrFile, AdrHeaderStyle, AdrNaming } from './adr-file';
import { formatAdrNumber } from './known-adr';

/**
 * How a team's ADR folder writes its ADRs, so a new one saved from Slack looks like the others: how
 * files are named, where status and date go, whether titles carry the number, and the team's own
 * template when the folder has one.
 */
export interface AdrConvention {
  naming: AdrNaming;
  /** Numbered files: the digits of the number ("0007": 4) and what precedes it ("", "adr-", "ADR-"). */
  width: number;
  prefix: string;
  /** Where status and date go: front matter, a `## Status` section and `Date:` line, or `* Status:` bullets. */
  header: Exclude<AdrHeaderStyle, 'none'>;
  /** The bullet the folder's status lines use. */
  bullet: '*' | '-';
  /** Titles written `# 7. Title`, as adr-tools does. */
  numberedTitle: boolean;
  /** The folder's own template (template.md, adr-template.md, templates/template.md), when there is one. */
  template?: string | undefined;
}

/** An empty folder's convention: MADR with front matter, numbered `0001-slug.md`. */
export const DEFAULT_CONVENTION: AdrConvention = {
  naming: 'numbered',
  width: 4,
  prefix: '',
  header: 'front-matter',
  bullet: '*',
  numberedTitle: false,
};

/** Template files, the first found wins: where MADR, log4brains and adr-tools keep theirs. */
export const TEMPLATE_FILES = ['adr-template.md', 'template.md', 'templates/template.md', '0000-template.md'];

/** The convention of a folder's ADRs (those in the folder itself, not its packages'): what most of them do. */
export function conventionOf(adrs: readonly AdrFile[], template?: string): AdrConvention {
  if (adrs.length === 0) return { ...DEFAULT_CONVENTION, template };
  const naming = mostCommon(adrs.map((a) => a.name.naming)) ?? DEFAULT_CONVENTION.naming;
  const numbered = adrs.filter((a) => a.name.naming === 'numbered');
  const prefix = mostCommon(numbered.map((a) => a.name.prefix ?? '')) ?? '';
  const width = Math.max(
    1,
    ...numbered.filter((a) => a.name.prefix === prefix).map((a) => a.name.width ?? 1),
  );
  const headers = adrs.map((a) => a.header).filter((h): h is AdrConvention['header'] => h !== 'none');
  const header = mostCommon(headers) ?? DEFAULT_CONVENTION.header;
  const bullet = /^[ \t]*-[ \t]+\**Status/im.test(adrs.find((a) => a.header === 'status-bullet')?.text ?? '')
    ? '-'
    : '*';
  const numberedTitle =
    numbered.length > 0 && numbered.filter((a) => a.numberedTitle).length * 2 > numbered.length;
  return { naming, width, prefix, header, bullet, numberedTitle, template };
}

/** The file name of a new ADR: the next number at the folder's width, today's date, or the slug. */
export function newAdrFileName(
  convention: AdrConvention,
  input: { title: string; date: string; number?: number | undefined },
): string {
  const slug = slugify(input.title) || 'decision';
  switch (convention.naming) {
    case 'numbered':
      return `${convention.prefix}${String(input.number ?? 1).padStart(convention.width, '0')}-${slug}.md`;
    case 'date':
      return `${input.date}-${slug}.md`;
    case 'compact-date':
      return `${input.date.replaceAll('-', '')}-${slug}.md`;
    case 'slug':
      return `${slug}.md`;
  }
}

/** How the new ADR is named in a commit or a message: "ADR-0007", else its file name without `.md`. */
export function newAdrLabel(fileName: string, number: number | undefined): string {
  return number === undefined ? fileName.replace(/\.md$/, '') : `ADR-${formatAdrNumber(number)}`;
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let most = 0;
  // Ties go to the later value: the newer ADRs show the convention the team follows now.
  for (const [v, n] of counts) {
    if (n >= most) {
      best = v;
      most = n;
    }
  }
  return best;
}

/** Where a new ADR goes in a folder: its convention, its number (numbered folders) and its file name. */
export interface NewAdrPlan {
  convention: AdrConvention;
  number: number | undefined;
  fileName: string;
}

/** The plan for a new ADR: numbered one more than the highest number held, else by date or slug. */
export function planNewAdr(
  convention: AdrConvention,
  numbersHeld: readonly number[],
  input: { title: string; date: string },
): NewAdrPlan {
  const number = convention.naming === 'numbered' ? Math.max(0, ...numbersHeld) + 1 : undefined;
  return { convention, number, fileName: newAdrFileName(convention, { ...input, number }) };
}

/** A file-name-safe slug: lower case, words joined by hyphens, at most 60 characters. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
