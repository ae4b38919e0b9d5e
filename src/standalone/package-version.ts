import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The version in package.json, beside `src/` in a clone and beside `dist/` in the installed package. */
export function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}
