/**
 * `architect adrs [DIR]` and `npm run adrs:check -- [DIR]`: reads an ADR folder the way reviews will and
 * prints, for each Markdown file, the ADR it read (`ok ID TITLE (STATUS)`) or why it skipped the file
 * (`skipped FILE: REASON`). Needs no credentials, so a team can run it on its repository before relying
 * on Architect's precedent. Exit code 1 when a file that looks like an ADR could not be read, or when
 * the folder yields no ADR at all.
 */
import path from 'node:path';
import { LocalAdrFolder } from '../adr/local-adr-folder';
import type { AdrCollection } from '../domain/adr-collection';
import { CliError } from '../standalone/cli-error';
import { chooseAdrFolder, DEFAULT_ADR_DIR } from '../standalone/team-adrs';
import type { CliIO } from './cli-io';
import { parseCommandArgs } from './cli-options';

export async function runAdrs(
  args: string[],
  io: Pick<CliIO, 'env' | 'cwd' | 'stdout' | 'stderr'>,
): Promise<number> {
  const { positionals } = parseCommandArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length > 1) throw new CliError('adrs takes one folder');
  const named = positionals[0] ?? (io.env.ADR_DIR?.trim() || undefined);
  const dir = await chooseAdrFolder(named === undefined ? {} : { adrs: named }, undefined, io.cwd);
  if (dir === undefined)
    throw new CliError(`no ADR folder: name one, set ADR_DIR, or run where ${DEFAULT_ADR_DIR} is`);
  const shownDir = named ?? DEFAULT_ADR_DIR;
  const collection = await new LocalAdrFolder(dir).readAdrs();
  for (const line of reportLines(collection, dir, shownDir)) io.stdout.write(`${line}\n`);
  const unreadable = collection.skipped.filter((s) => s.looksLikeAdr).length;
  return unreadable > 0 || collection.adrs.length === 0 ? 1 : 0;
}

/** One line per Markdown file, in the folder's order, then what was left unread and the counts. */
export function reportLines(collection: AdrCollection, dir: string, shownDir: string): string[] {
  const shown = (file: string) => path.join(shownDir, path.relative(dir, file));
  const rows = [
    ...collection.adrs.map((adr) => ({
      file: adr.path,
      line: `ok ${adr.id} ${adr.title} (${statusOf(adr)})`,
    })),
    ...collection.skipped.map((s) => ({ file: s.path, line: `skipped ${shown(s.path)}: ${s.reason}` })),
  ].sort((a, b) => byPath(a.file, b.file));
  const adrFilesSkipped = collection.skipped.filter((s) => s.looksLikeAdr).length;
  const others = collection.skipped.length - adrFilesSkipped;
  const files = rows.length;
  const counts =
    `${files} ${files === 1 ? 'file' : 'files'}: ${collection.adrs.length} ${collection.adrs.length === 1 ? 'ADR' : 'ADRs'} read, ` +
    `${adrFilesSkipped} ADR ${adrFilesSkipped === 1 ? 'file' : 'files'} skipped, ${others} other ${others === 1 ? 'file' : 'files'}`;
  const empty =
    collection.adrs.length === 0 ? [`no ADRs read from ${shownDir}: reviews would have no precedent`] : [];
  return [...rows.map((r) => r.line), ...collection.notes, ...empty, counts];
}

/** Folder by folder, names in the order a file browser shows them: case aside. */
function byPath(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function statusOf(adr: AdrCollection['adrs'][number]): string {
  const status = adr.status ?? 'status not stated';
  const named = adr.supersededBy.filter((id) => !status.toLowerCase().includes(id.toLowerCase()));
  if (adr.superseded && named.length > 0) return `${status}; superseded by ${named.join(', ')}`;
  return status;
}

if (require.main === module) {
  // Run through `npm run adrs:check`, npm starts in the package's folder; the folder named is the caller's.
  const cwd =
    process.env.npm_lifecycle_event === 'adrs:check' && process.env.INIT_CWD
      ? process.env.INIT_CWD
      : process.cwd();
  runAdrs(process.argv.slice(2), {
    env: process.env,
    cwd,
    stdout: process.stdout,
    stderr: process.stderr,
  }).then(
    (code) => {
      // exitCode rather than exit(): lets stdout drain when it is a pipe.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`adrs:check: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
