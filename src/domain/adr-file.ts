import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * One ADR file read the way the tools teams use write it, as a pure function of its path and text:
 * adr-tools/Nygard (`0007-slug.md`, `# 7. Title`, `Date:`, `## Status`), MADR 2 (`* Status:` bullets),
 * MADR 3/4 (front matter `status`, `date`, `decision-makers`, or none), log4brains (`20201016-slug.md`,
 * `- Status:`/`- Date:` bullets), date-prefixed (`2024-09-25-slug.md`) and prefixed (`adr-007-slug.md`)
 * files. Both ADR sources (a local folder, a GitHub repository) read files through this module.
 */

/** How a collection names its files; what a new ADR's file name follows. */
export type AdrNaming = 'numbered' | 'date' | 'compact-date' | 'slug';

export interface AdrFileName {
  naming: AdrNaming;
  /** The file name without `.md`: unique in its folder, what a reader looks for. */
  stem: string;
  /** The words after the number or date. */
  slug: string;
  /** `numbered` only: the number, the digits it is written with, and what precedes it ("", "adr-", "ADR-"). */
  number?: number;
  width?: number;
  prefix?: string;
  /** `date` and `compact-date`: YYYY-MM-DD. */
  date?: string;
}

/** What an ADR's status says, in the five words of the ADR tools; `unknown` when unstated or other. */
export type AdrState = 'proposed' | 'accepted' | 'rejected' | 'deprecated' | 'superseded' | 'unknown';

/** How the file states its status and date: what a new ADR in the same folder copies. */
export type AdrHeaderStyle = 'front-matter' | 'status-section' | 'status-bullet' | 'none';

export interface AdrFile {
  /** As given: relative to the collection's folder. */
  path: string;
  name: AdrFileName;
  /** From the front matter or the first `# ` heading; else the file name's words. */
  title: string;
  /** Whether the title came from the file (false: from its name). */
  titled: boolean;
  /** The tool's own words, as written ("Accepted", "superseded by [ADR-0005](0005-x.md)"). */
  status: string | undefined;
  state: AdrState;
  /** YYYY-MM-DD: the file's own date, else the date in its name. */
  date: string | undefined;
  /** References as written ("ADR-0045", "0045-use-x.md", "20201016-slug"), resolved by the collection. */
  supersededBy: string[];
  supersedes: string[];
  header: AdrHeaderStyle;
  /** Titles written `# 7. Title`, as adr-tools does. */
  numberedTitle: boolean;
  text: string;
}

export type AdrFileReading =
  | { kind: 'adr'; adr: AdrFile }
  /** `looksLikeAdr`: an ADR that could not be read, as opposed to a README or template beside the ADRs. */
  | { kind: 'skipped'; path: string; reason: string; looksLikeAdr: boolean };

const MARKDOWN = /\.(?:md|markdown)$/i;
const ISO_DATE_NAME = /^(\d{4})-(\d{2})-(\d{2})-+(.+)$/;
const COMPACT_DATE_NAME = /^(\d{4})(\d{2})(\d{2})-+(.+)$/;
const NUMBER_NAME = /^((?:adr|ADR|Adr)[-_]?)?(\d{1,5})(?:[-_. ]+(.*))?$/;
/** Files that sit beside ADRs without being one. */
const NOT_ADR_NAMES =
  /^(?:readme|index|toc|summary|changelog|license|contributing|_sidebar|_navbar|(?:.*[-_])?template(?:[-_].*)?)$/i;

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;
const TITLE = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m;
/** adr-tools titles repeat the number ("# 7. Use an outbox"); other tools write "ADR-0007: Title". */
const NUMBER_PREFIX = /^(?:ADR[-\s]?)?\d+(?:\.|:|\s+-)\s+/i;
const STATUS_SECTION = /^#{2,3}[ \t]+Status[ \t]*:?[ \t]*$/i;
const STATUS_LINE = /^[ \t]*(?:[*-][ \t]+)?(?:\*\*|__)?Status(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(.+)$/im;
const DATE_LINE =
  /^[ \t]*(?:[*-][ \t]+)?(?:\*\*|__)?(?:Date|Decision date|Last updated)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(\d{4}-\d{2}-\d{2})/im;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

const FrontMatterSchema = z.object({
  status: z.union([z.string(), z.number()]).optional().catch(undefined),
  date: z.union([z.string(), z.number(), z.date()]).optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  'superseded-by': z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
  supersedes: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
});

/** The name of an ADR file, or undefined for any other file in the folder (README, template, images…). */
export function parseAdrFileName(fileName: string): AdrFileName | undefined {
  const base = fileName.split('/').pop() ?? fileName;
  if (!MARKDOWN.test(base)) return undefined;
  const stem = base.replace(MARKDOWN, '');
  if (stem === '' || NOT_ADR_NAMES.test(stem)) return undefined;
  const iso = ISO_DATE_NAME.exec(stem);
  if (iso && isDate(iso[1], iso[2], iso[3])) {
    return { naming: 'date', stem, slug: iso[4] ?? '', date: `${iso[1]}-${iso[2]}-${iso[3]}` };
  }
  const compact = COMPACT_DATE_NAME.exec(stem);
  if (compact && isDate(compact[1], compact[2], compact[3])) {
    return {
      naming: 'compact-date',
      stem,
      slug: compact[4] ?? '',
      date: `${compact[1]}-${compact[2]}-${compact[3]}`,
    };
  }
  const numbered = NUMBER_NAME.exec(stem);
  if (numbered?.[2]) {
    return {
      naming: 'numbered',
      stem,
      slug: numbered[3] ?? '',
      number: Number(numbered[2]),
      width: numbered[2].length,
      prefix: numbered[1] ?? '',
    };
  }
  return { naming: 'slug', stem, slug: stem };
}

function isDate(y: string | undefined, m: string | undefined, d: string | undefined): boolean {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  return year >= 1970 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * Reads one file of an ADR folder. `text` undefined means the file was too big to read: it is still an
 * ADR, named by its file. Never throws: a file that cannot be an ADR is a skip with the reason.
 */
export function readAdrFile(path: string, text: string | undefined): AdrFileReading {
  const name = parseAdrFileName(path);
  if (!name) return { kind: 'skipped', path, reason: notAdrReason(path), looksLikeAdr: false };
  const fallbackTitle = words(name.slug) || name.stem;
  if (text === undefined) {
    return { kind: 'adr', adr: emptyAdr(path, name, fallbackTitle) };
  }
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    return { kind: 'skipped', path, reason: 'not UTF-8 text', looksLikeAdr: true };
  }
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (clean.trim() === '') return { kind: 'skipped', path, reason: 'the file is empty', looksLikeAdr: true };

  const frontMatter = FRONT_MATTER.exec(clean);
  const fields = frontMatter ? readFrontMatter(frontMatter[1] ?? '') : undefined;
  const body = frontMatter ? clean.slice(frontMatter[0].length) : clean;
  const heading = TITLE.exec(body)?.[1];
  const headingTitle = heading?.replace(NUMBER_PREFIX, '').trim();
  const section = statusSection(body);
  const line = section === undefined ? STATUS_LINE.exec(body)?.[1]?.trim() : undefined;
  const status = fields?.status ?? section ?? (line ? stripBrackets(line) : undefined);
  const title = fields?.title ?? (headingTitle || undefined);
  // A slug-named file with nothing of an ADR is a note beside the ADRs (a glossary, a guide), not one.
  if (
    name.naming === 'slug' &&
    status === undefined &&
    fields === undefined &&
    !/^##?\s+(?:Decision|Context)/im.test(body)
  ) {
    return {
      kind: 'skipped',
      path,
      reason: 'not an ADR (no number or date in its name, and no status, front matter or Decision section)',
      looksLikeAdr: false,
    };
  }
  const links = supersession(status ?? '');
  return {
    kind: 'adr',
    adr: {
      path,
      name,
      title: oneLine(title ?? fallbackTitle),
      titled: title !== undefined,
      status: status === undefined ? undefined : oneLine(status),
      state: stateOf(status),
      date: fields?.date ?? DATE_LINE.exec(body)?.[1] ?? name.date,
      supersededBy: [...links.supersededBy, ...(fields?.supersededBy ?? [])],
      supersedes: [...links.supersedes, ...(fields?.supersedes ?? [])],
      header:
        fields?.status !== undefined
          ? 'front-matter'
          : section !== undefined
            ? 'status-section'
            : line
              ? 'status-bullet'
              : frontMatter
                ? 'front-matter'
                : 'none',
      numberedTitle: heading !== undefined && /^\d+\.\s/.test(heading),
      text: clean,
    },
  };
}

function emptyAdr(path: string, name: AdrFileName, title: string): AdrFile {
  return {
    path,
    name,
    title,
    titled: false,
    status: undefined,
    state: 'unknown',
    date: name.date,
    supersededBy: [],
    supersedes: [],
    header: 'none',
    numberedTitle: false,
    text: '',
  };
}

function notAdrReason(path: string): string {
  const base = path.split('/').pop() ?? path;
  if (!MARKDOWN.test(base)) return 'not an ADR (not a Markdown file)';
  if (/template/i.test(base)) return 'not an ADR (a template)';
  return 'not an ADR (the folder’s own page)';
}

interface FrontMatterFields {
  status: string | undefined;
  date: string | undefined;
  title: string | undefined;
  supersededBy: string[];
  supersedes: string[];
}

function readFrontMatter(yaml: string): FrontMatterFields | undefined {
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch {
    // A broken front matter block loses its fields, not the ADR.
    return undefined;
  }
  const parsed = FrontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const { date } = parsed.data;
  const isoDate =
    date === undefined
      ? undefined
      : date instanceof Date
        ? Number.isNaN(date.getTime())
          ? undefined
          : date.toISOString().slice(0, 10)
        : ISO_DATE.exec(String(date))?.[0];
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return {
    status: cleanText(parsed.data.status === undefined ? undefined : String(parsed.data.status)),
    date: isoDate,
    title: cleanText(parsed.data.title),
    supersededBy: list(parsed.data['superseded-by']),
    supersedes: list(parsed.data.supersedes),
  };
}

/**
 * The status a `## Status` section states: its first line, and the link lines adr-tools adds below it
 * ("Supersedes [2. Title](0002-title.md)"); prose a team wrote under the status is not the status.
 */
function statusSection(body: string): string | undefined {
  const lines = body.split('\n');
  const start = lines.findIndex((l) => STATUS_SECTION.test(l));
  if (start === -1) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^#{1,6}\s/.test(l));
  const [first, ...more] = (end === -1 ? rest : rest.slice(0, end))
    .map((l) => l.replace(/^[ \t]*[*-][ \t]+/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('<!--'));
  if (first === undefined) return undefined;
  const links = more.filter((l) => STATUS_LINK_LINE.test(l));
  return cleanText([first, ...links].join('; '));
}

/** adr-tools' link lines in a Status section, and the same words written by hand. */
const STATUS_LINK_LINE =
  /^(?:supersedes|superseded by|replaces|replaced by|amends|amended by|clarifies|clarified by|extends|extended by)\b/i;

/** MADR 2's template shows `[proposed | accepted]`; a filled one may keep the brackets round one word. */
function stripBrackets(status: string): string {
  const m = /^\[([^\]|]+)\]$/.exec(status.trim());
  return m?.[1]?.trim() ?? status;
}

const STATE_WORDS: [AdrState, RegExp][] = [
  ['superseded', /^(?:superseded|superceded|replaced|obsolete(?:d)? by)\b/i],
  ['deprecated', /^(?:deprecated|obsolete|retired|withdrawn)\b/i],
  ['rejected', /^(?:rejected|declined|abandoned)\b/i],
  ['accepted', /^(?:accepted|approved|adopted|decided|agreed|active|done|implemented)\b/i],
  ['proposed', /^(?:proposed|draft|open|in[ -]review|under review|pending|discussion)\b/i],
];

/** The status's first word as one of the five states; "accepted; supersedes ADR-0045" is accepted. */
export function stateOf(status: string | undefined): AdrState {
  const text = (status ?? '').replace(/^[\s*_[`"']+/, '');
  if (/\bsuperseded by\b|\breplaced by\b/i.test(text)) return 'superseded';
  return STATE_WORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'unknown';
}

/** References after "superseded by" and "supersedes" (also "replaced by", "replaces"). */
function supersession(status: string): { supersededBy: string[]; supersedes: string[] } {
  const supersededBy: string[] = [];
  const supersedes: string[] = [];
  const clauses = status.split(/(?=\b(?:superseded by|supersedes|replaced by|replaces)\b)/i);
  for (const clause of clauses) {
    const m = /^(superseded by|replaced by|supersedes|replaces)\b:?([\s\S]*)$/i.exec(clause.trim());
    if (!m?.[1]) continue;
    const refs = references((m[2] ?? '').split(/[;\n]/)[0] ?? '');
    if (/by$/i.test(m[1])) supersededBy.push(...refs);
    else supersedes.push(...refs);
  }
  return { supersededBy, supersedes };
}

/** Link targets when there are links, else the ADR-like words: "ADR-0045", "#12", "0012-x.md", a slug. */
function references(text: string): string[] {
  const links = [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].flatMap((m) => (m[1] ? [m[1]] : []));
  if (links.length > 0) return links;
  return [...text.matchAll(/(?:ADR[-_\s]?|#)?[\w./-]*\d[\w./-]*/gi)]
    .map((m) => m[0].replace(/[.,]+$/, ''))
    .filter((ref) => ref !== '');
}

/** A reference reduced to what names an ADR: the file stem, lower case ("ADR-0045" stays "adr-0045"). */
export function referenceKey(ref: string): string {
  const target = ref.split('#')[0] || ref;
  return (target.split('/').pop() ?? target).replace(MARKDOWN, '').trim().toLowerCase();
}

/** The number a reference names: "ADR-0045", "ADR 45", "#45", "0045", "0045-use-x.md"; else undefined. */
export function referenceNumber(ref: string): number | undefined {
  const key = referenceKey(ref.startsWith('#') ? ref.slice(1) : ref);
  const m = /^(?:adr[-_\s]*)?0*(\d{1,5})(?:$|[-_. ]\D)/i.exec(key);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function words(slug: string): string {
  return slug.replace(/[-_]+/g, ' ').trim();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cleanText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
