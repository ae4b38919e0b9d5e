import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Every variable the configuration schema reads, taken from its source so a new one cannot be missed. */
const settings = [...read('src/config/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]);

describe('every setting is documented where a new user looks', () => {
  it('finds the settings', () => {
    expect(settings).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'REDIS_URL', 'RATE_LIMIT_PER_USER_PER_HOUR']),
    );
  });

  it.each(settings)('%s is in the README settings table and in .env.example', (name) => {
    expect(read('README.md')).toContain(`\`${name}\``);
    expect(read('.env.example')).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
