import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSettingsTable } from '../src/config/settings-docs';

/** Rewrites README.md's settings table from the configuration schema (`npm run docs:settings`). */
const readme = path.resolve(__dirname, '../README.md');
writeFileSync(readme, withSettingsTable(readFileSync(readme, 'utf8')));
process.stdout.write('README.md settings table updated\n');
