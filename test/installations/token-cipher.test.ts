import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/config';
import { SealedDataError, TokenCipher } from '../../src/installations/token-cipher';

const key = () => randomBytes(32).toString('base64');

describe('installation tokens at rest', () => {
  it('seals so that the token is not in the stored text, and opens it again', () => {
    const cipher = new TokenCipher([key()]);
    const sealed = cipher.seal('{"bot":{"token":"xoxb-secret-1"}}');
    expect(sealed).not.toContain('xoxb');
    expect(cipher.open(sealed)).toBe('{"bot":{"token":"xoxb-secret-1"}}');
  });

  it('refuses a sealed value that was altered, or that no configured key sealed', () => {
    const cipher = new TokenCipher([key()]);
    const sealed = cipher.seal('xoxb-secret-2');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64');
    expect(() => cipher.open(parts.join('.'))).toThrow(SealedDataError);
    expect(() => new TokenCipher([key()]).open(sealed)).toThrow(/key that is not configured/);
  });

  it('rotates: a new key first still opens what the old key sealed, and says it should be sealed again', () => {
    const oldKey = key();
    const sealedOld = new TokenCipher([oldKey]).seal('xoxb-secret-3');
    const rotated = new TokenCipher([key(), oldKey]);
    expect(rotated.open(sealedOld)).toBe('xoxb-secret-3');
    expect(rotated.isStale(sealedOld)).toBe(true);
    expect(rotated.isStale(rotated.seal('xoxb-secret-3'))).toBe(false);
  });
});

describe('choosing between one workspace and OAuth mode', () => {
  const base = { ANTHROPIC_API_KEY: 'k', SLACK_SIGNING_SECRET: 's', SLACK_MODE: 'http' };
  const oauth = {
    SLACK_CLIENT_ID: '1.2',
    SLACK_CLIENT_SECRET: 'c',
    SLACK_STATE_SECRET: 'st',
    DATABASE_URL: 'postgres://127.0.0.1/architect',
    INSTALLATION_ENCRYPTION_KEY: key(),
  };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      return String(error);
    }
  };

  it('takes OAuth mode when its five variables are set instead of SLACK_BOT_TOKEN', () => {
    expect(loadConfig({ ...base, ...oauth }).slack.workspaces.mode).toBe('oauth');
    expect(loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxb-1' }).slack.workspaces.mode).toBe('single');
  });

  it('says which variables each mode needs when neither is complete, or both are set', () => {
    const none = problems(base);
    for (const name of ['SLACK_BOT_TOKEN', ...Object.keys(oauth)]) expect(none).toContain(name);
    const { DATABASE_URL: _db, ...partial } = oauth;
    expect(problems({ ...base, ...partial })).toMatch(/DATABASE_URL missing for OAuth mode/);
    expect(problems({ ...base, ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/choose one mode/);
    expect(problems({ ...base, ...oauth, SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-1' })).toMatch(
      /SLACK_MODE=http is required in OAuth mode/,
    );
  });
});
