import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSettingsTable } from '../src/config/settings-docs';
import { withMetricsTable } from '../src/observability/metrics-docs';

/**
 * Rewrites README.md's generated tables from their declarations: `npm run docs` rewrites all of them,
 * `npm run docs:settings` (the configuration schema) or `npm run docs:metrics` (the metric catalog) one.
 */
const TABLES = { settings: withSettingsTable, metrics: withMetricsTable };
type Table = keyof typeof TABLES;
const isTable = (name: string): name is Table => Object.hasOwn(TABLES, name);

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !isTable(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown table ${unknown.join(', ')}; known: ${Object.keys(TABLES).join(', ')}\n`);
  process.exit(1);
}
const tables = (asked.length > 0 ? asked : Object.keys(TABLES)).filter(isTable);
const readme = path.resolve(__dirname, '../README.md');
let text = readFileSync(readme, 'utf8');
for (const table of tables) text = TABLES[table](text);
writeFileSync(readme, text);
process.stdout.write(`README.md ${tables.join(' and ')} table${tables.length > 1 ? 's' : ''} updated\n`);
