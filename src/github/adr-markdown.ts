import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Reads the conventions of ADR files as MADR and adr-tools write them: the number and slug from the
 * file name (`0007-use-transactional-outbox.md`), the title from the first `# ` heading, the status and
 * date from MADR front matter, a `## Status` section (adr-tools) or a `* Status:` line (MADR 2).
 */

export interface AdrFileName {
  number: number;
  slug: string;
}

export interface AdrFields {
  title: string | undefined;
  status: string | undefined;
  /** YYYY-MM-DD as written in the file. */
  date: string | undefined;
}

const FILE_NAME = /^(\d{4})-([a-z0-9][a-z0-9._-]*)\.md$/i;
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;
const TITLE = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m;
/** adr-tools titles repeat the number ("# 7. Use an outbox"); the number is known from the file name. */
const NUMBER_PREFIX = /^\d+\.\s+/;
const STATUS_LINE = /^[ \t]*[*-]?[ \t]*\**Status\**:[ \t]*(.+)$/im;
const DATE_LINE = /^[ \t]*[*-]?[ \t]*\**Date\**:[ \t]*(\d{4}-\d{2}-\d{2})/im;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

const FrontMatterSchema = z.object({
  status: z.string().optional().catch(undefined),
  date: z.union([z.string(), z.number()]).optional().catch(undefined),
  title: z.string().optional().catch(undefined),
});

/** Number and slug of an ADR file, or undefined for any other file in the folder (README, template…). */
export function parseAdrFileName(name: string): AdrFileName | undefined {
  const match = FILE_NAME.exec(name);
  if (!match?.[1] || !match[2]) return undefined;
  return { number: Number(match[1]), slug: match[2] };
}

/** Title, status and date of one ADR; fields the file does not state are undefined. */
export function parseAdrMarkdown(markdown: string): AdrFields {
  const text = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const frontMatter = FRONT_MATTER.exec(text);
  const fields = frontMatter ? readFrontMatter(frontMatter[1] ?? '') : {};
  const body = frontMatter ? text.slice(frontMatter[0].length) : text;
  const heading = TITLE.exec(body)?.[1]?.replace(NUMBER_PREFIX, '');
  return {
    title: fields.title ?? (heading || undefined),
    status: fields.status ?? statusFromBody(body),
    date: fields.date ?? DATE_LINE.exec(body)?.[1],
  };
}

function readFrontMatter(yaml: string): Partial<AdrFields> {
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch {
    // A broken front matter block loses its fields, not the ADR.
    return {};
  }
  const parsed = FrontMatterSchema.safeParse(data);
  if (!parsed.success) return {};
  const date = parsed.data.date === undefined ? undefined : ISO_DATE.exec(String(parsed.data.date))?.[0];
  return { status: clean(parsed.data.status), date, title: clean(parsed.data.title) };
}

/** The first line of a `## Status` section, else a `Status:` line. */
function statusFromBody(body: string): string | undefined {
  const lines = body.split('\n');
  const section = lines.findIndex((line) => /^##[ \t]+Status[ \t]*$/i.test(line));
  if (section !== -1) {
    const next = lines.slice(section + 1).find((line) => line.trim() !== '');
    if (next !== undefined && !next.startsWith('#')) return clean(next.replace(/^[ \t]*[*-][ \t]+/, ''));
  }
  return clean(STATUS_LINE.exec(body)?.[1]);
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
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
