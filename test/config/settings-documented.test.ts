import { readFileSync } from 'node:fs';
import path from 'node:path';
import { settingDocs, settingsTable } from '../../src/config/settings-docs';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const settings = settingDocs().map((s) => s.name);

describe('every setting is documented where a new user looks', () => {
  it('knows the settings from the configuration schema', () => {
    expect(settings).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'REDIS_URL', 'RATE_LIMIT_PER_USER_PER_HOUR']),
    );
  });

  it('README’s settings table is the one the schema describes (npm run docs:settings rewrites it)', () => {
    expect(read('README.md')).toContain(settingsTable());
  });

  it('each setting has a description and a default a newcomer can read', () => {
    for (const doc of settingDocs()) {
      expect(doc.description.length).toBeGreaterThan(5);
      expect(doc.defaultText).not.toBe('');
    }
  });

  it.each(settings)('%s is in .env.example', (name) => {
    expect(read('.env.example')).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
