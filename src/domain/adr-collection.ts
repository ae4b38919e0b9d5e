import { type AdrFile, type AdrFileReading, type AdrState, referenceKey, referenceNumber } from './adr-file';
import { adrId as numberedId } from './known-adr';

/** One Architecture Decision Record of a team's collection, as reviews list, cite and link it. */
export interface Adr {
  /**
   * Unique in the collection, what a finding cites and a reader finds: "ADR-0007" for a numbered file,
   * else the file's name without `.md` ("2024-09-25-signing-configuration"); an ADR in a package's own
   * folder is prefixed with the package ("billing/20201016-use-stripe").
   */
  id: string;
  /** The number in a numbered file's name; undefined for dated and slug-named ADRs. */
  number: number | undefined;
  title: string;
  /** The tool's own words, as written. */
  status: string | undefined;
  state: AdrState;
  /** Whether the decision no longer holds: it says it is superseded, or an ADR in force supersedes it. */
  superseded: boolean;
  /** Ids of the ADRs that supersede this one, and of those it supersedes, in either file's words. */
  supersededBy: string[];
  supersedes: string[];
  date: string | undefined;
  /** Where the file is: an absolute path on this machine, or its path in the repository. */
  path: string;
  /** The file on GitHub's web pages, where a person reads it. */
  url?: string | undefined;
  /** The Markdown; undefined when the file is over the size limit and was not read. */
  text: string | undefined;
}

/** A file of the ADR folder that is not in the collection, and why. */
export interface AdrSkip {
  path: string;
  reason: string;
  /** An ADR that could not be read, as opposed to a README or template beside the ADRs. */
  looksLikeAdr: boolean;
}

export interface AdrCollection {
  /** Oldest first. */
  adrs: Adr[];
  skipped: AdrSkip[];
  /** What a review should say about the reading: ADRs left unread over a limit. */
  notes: string[];
}

export interface ReadFile {
  /** Relative to the collection's folder, with `/`: where ids of nested packages come from. */
  relativePath: string;
  reading: AdrFileReading;
  /** Where the file is, as Adr.path gives it. */
  path: string;
  url?: string | undefined;
  /** True when the file was over the size limit and not read (the reading then has only its name). */
  unread?: boolean;
}

/** Folder names that say "ADRs live here" rather than naming a package. */
const GENERIC_FOLDERS = new Set([
  'adr',
  'adrs',
  'decisions',
  'docs',
  'doc',
  'architecture',
  'decision-records',
]);
/** Folders that hold packages rather than being one. */
const PACKAGE_HOLDERS = new Set(['packages', 'services', 'apps', 'modules', 'libs']);

/**
 * The files of one ADR folder (its packages' folders too) made a collection: each ADR gets an id unique in
 * it, supersession is settled in both directions, and a file whose id is taken is skipped with the file
 * that holds it. Pure: the same files always give the same collection.
 */
export function assembleCollection(files: readonly ReadFile[]): AdrCollection {
  const skipped: AdrSkip[] = [];
  const kept = withUniqueIds(oldestFirst(files, skipped), skipped);
  const { supersededBy, supersedes, declared } = settleSupersession(kept);
  const adrs = kept.map(
    ({ file, adr, id }): Adr => ({
      id,
      number: adr.name.number,
      title: adr.title,
      status: adr.status,
      state: adr.state,
      superseded: adr.state === 'superseded' || declared.has(id),
      supersededBy: [...(supersededBy.get(id) ?? [])],
      supersedes: [...(supersedes.get(id) ?? [])],
      date: adr.date,
      path: file.path,
      ...(file.url ? { url: file.url } : {}),
      text: file.unread ? undefined : adr.text,
    }),
  );
  return { adrs, skipped, notes: [] };
}

interface ReadEntry {
  file: ReadFile;
  adr: AdrFile;
  pkg: string;
}
type KeptEntry = ReadEntry & { id: string };

/** The files that read as ADRs, oldest first; the others go to `skipped` with their reasons. */
function oldestFirst(files: readonly ReadFile[], skipped: AdrSkip[]): ReadEntry[] {
  const read: ReadEntry[] = [];
  for (const file of files) {
    if (file.reading.kind === 'skipped') {
      const { reason, looksLikeAdr } = file.reading;
      skipped.push({ path: file.path, reason, looksLikeAdr });
    } else {
      read.push({ file, adr: file.reading.adr, pkg: packageOf(file.relativePath) });
    }
  }
  return read.sort((a, b) => compareAge(a.adr, b.adr) || byPath(a.file.relativePath, b.file.relativePath));
}

/** Each ADR its id: its number when it has one, else its file name; one whose ids are both taken is skipped. */
function withUniqueIds(read: ReadEntry[], skipped: AdrSkip[]): KeptEntry[] {
  const byId = new Map<string, KeptEntry>();
  const kept: KeptEntry[] = [];
  for (const entry of read) {
    const within = entry.pkg ? `${entry.pkg}/` : '';
    const { number } = entry.adr.name;
    const preferred =
      number !== undefined ? `${within}${numberedId(number)}` : `${within}${entry.adr.name.stem}`;
    // Two files holding one number (two branches merged the same day) both stay: the second by its name.
    const byName = `${within}${entry.adr.name.stem}`;
    const id = [preferred, byName].find((c) => !byId.has(c.toLowerCase()));
    if (id === undefined) {
      const holder = byId.get(byName.toLowerCase());
      skipped.push({
        path: entry.file.path,
        reason: `duplicate: ${byName} is already ${holder?.file.path ?? 'another file'}`,
        looksLikeAdr: true,
      });
      continue;
    }
    const withId = { ...entry, id };
    byId.set(id.toLowerCase(), withId);
    kept.push(withId);
  }
  return kept;
}

/**
 * Supersession in both directions, by link, file name or number: which ADRs supersede each, which each
 * supersedes, and which are declared superseded (only those stop holding).
 */
function settleSupersession(kept: KeptEntry[]) {
  const byId = new Map(kept.map((k) => [k.id.toLowerCase(), k]));
  const numbered = (n: number | undefined, pkg: string) =>
    n === undefined
      ? undefined
      : (kept.find((k) => k.adr.name.number === n && k.pkg === pkg) ??
        kept.find((k) => k.adr.name.number === n));
  const resolve = (ref: string, from: { pkg: string; id: string }): string | undefined => {
    const key = referenceKey(ref);
    const local = (id: string) => (from.pkg ? `${from.pkg}/${id}` : id).toLowerCase();
    const stem = kept.find((k) => k.adr.name.stem.toLowerCase() === key && k.pkg === from.pkg);
    const found =
      stem ??
      byId.get(local(key)) ??
      byId.get(key) ??
      numbered(referenceNumber(ref), from.pkg) ??
      kept.find((k) => k.adr.name.stem.toLowerCase() === key);
    return found && found.id !== from.id ? found.id : undefined;
  };

  const supersededBy = new Map<string, Set<string>>(kept.map((k) => [k.id, new Set<string>()]));
  const supersedes = new Map<string, Set<string>>(kept.map((k) => [k.id, new Set<string>()]));
  const declared = new Set<string>();
  for (const k of kept) {
    for (const ref of k.adr.supersededBy) {
      const other = resolve(ref, k);
      declared.add(k.id);
      if (other) {
        supersededBy.get(k.id)?.add(other);
        supersedes.get(other)?.add(k.id);
      }
    }
    for (const ref of k.adr.supersedes) {
      const other = resolve(ref, k);
      if (!other) continue;
      supersedes.get(k.id)?.add(other);
      // A proposal or a rejected ADR that would supersede another leaves it in force.
      if (k.adr.state !== 'proposed' && k.adr.state !== 'rejected') {
        supersededBy.get(other)?.add(k.id);
        declared.add(other);
      }
    }
  }
  return { supersededBy, supersedes, declared };
}

/**
 * The package a nested file belongs to: its folders less the generic ones (`packages/billing/adr` is
 * "billing"); "" for the collection's own folder.
 */
function packageOf(relativePath: string): string {
  const folders = relativePath.split('/').slice(0, -1);
  while (folders.length > 0 && GENERIC_FOLDERS.has((folders[folders.length - 1] ?? '').toLowerCase()))
    folders.pop();
  if (folders.length > 1 && PACKAGE_HOLDERS.has((folders[0] ?? '').toLowerCase())) folders.shift();
  return folders.join('/');
}

/** Case aside first, so the order is the one a file browser shows. */
function byPath(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first: numbered ADRs by number, then dated and named ones by date and name. */
function compareAge(a: AdrFile, b: AdrFile): number {
  const an = a.name.number;
  const bn = b.name.number;
  if (an !== undefined && bn !== undefined) return an - bn;
  if (an !== undefined) return -1;
  if (bn !== undefined) return 1;
  const ak = `${a.name.date ?? a.date ?? '9999'} ${a.name.stem}`;
  const bk = `${b.name.date ?? b.date ?? '9999'} ${b.name.stem}`;
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

/** The newest `max` ADR files, by the order of their names (numbers, dates), and a note for the rest. */
export function newestFirstCut<T extends { relativePath: string }>(
  files: readonly T[],
  max: number,
  nameOf: (file: T) => AdrFile['name'] | undefined,
): { kept: T[]; note: string | undefined } {
  if (files.length <= max) return { kept: [...files], note: undefined };
  const order = (f: T) => {
    const name = nameOf(f);
    return name?.number !== undefined
      ? `0 ${String(name.number).padStart(6, '0')}`
      : `1 ${name?.date ?? ''} ${name?.stem ?? ''}`;
  };
  const sorted = [...files].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const left = sorted.length - max;
  return {
    kept: sorted.slice(left),
    note: `${left} older ADR ${left === 1 ? 'file' : 'files'} not read (over the limit of ${max})`,
  };
}
