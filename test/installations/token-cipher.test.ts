import { createCipheriv, randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/config';
import { SealedDataError, TokenCipher } from '../../src/installations/token-cipher';

const key = () => randomBytes(32).toString('base64');

describe('installation tokens at rest', () => {
  it('seals so that the token is not in the stored text, and opens it again', () => {
    const cipher = new TokenCipher([key()]);
    const sealed = cipher.seal('{"bot":{"token":"xoxb-secret-1"}}', 'team:T1');
    expect(sealed).not.toContain('xoxb');
    expect(cipher.open(sealed, 'team:T1')).toBe('{"bot":{"token":"xoxb-secret-1"}}');
  });

  it('refuses a sealed value that was altered, or that no configured key sealed', () => {
    const cipher = new TokenCipher([key()]);
    const sealed = cipher.seal('xoxb-secret-2', 'team:T1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64');
    expect(() => cipher.open(parts.join('.'), 'team:T1')).toThrow(SealedDataError);
    expect(() => new TokenCipher([key()]).open(sealed, 'team:T1')).toThrow(/key that is not configured/);
  });

  it('binds a sealed value to its row: copied under another installation it does not open', () => {
    const cipher = new TokenCipher([key()]);
    const sealed = cipher.seal('{"bot":{"token":"xoxb-acme"}}', 'team:T0ACME');
    expect(cipher.open(sealed, 'team:T0ACME')).toContain('xoxb-acme');
    expect(() => cipher.open(sealed, 'team:T0GLOBEX')).toThrow(SealedDataError);
  });

  it('opens a value sealed before rows were bound (v1), and says it should be sealed again', () => {
    const raw = key();
    const cipher = new TokenCipher([raw]);
    const bound = cipher.seal('xoxb-legacy', 'team:T1');
    const [, id, iv] = bound.split('.');
    const legacy = createCipheriv('aes-256-gcm', Buffer.from(raw, 'base64'), Buffer.from(iv ?? '', 'base64'));
    legacy.setAAD(Buffer.from(id ?? ''));
    const body = Buffer.concat([legacy.update('xoxb-legacy', 'utf8'), legacy.final()]);
    const v1 = ['v1', id, iv, legacy.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    expect(cipher.open(v1, 'team:T1')).toBe('xoxb-legacy');
    expect(cipher.isStale(v1)).toBe(true);
    expect(cipher.isStale(bound)).toBe(false);
  });

  it('rotates: a new key first still opens what the old key sealed, and says it should be sealed again', () => {
    const oldKey = key();
    const sealedOld = new TokenCipher([oldKey]).seal('xoxb-secret-3', 'team:T1');
    const rotated = new TokenCipher([key(), oldKey]);
    expect(rotated.open(sealedOld, 'team:T1')).toBe('xoxb-secret-3');
    expect(rotated.isStale(sealedOld)).toBe(true);
    expect(rotated.isStale(rotated.seal('xoxb-secret-3', 'team:T1'))).toBe(false);
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

  it('refuses a global ADR repository or folder in OAuth mode: each workspace sets its own', () => {
    const extras: Record<string, string>[] = [
      { GITHUB_REPOSITORY: 'acme/adrs', GITHUB_TOKEN: 'ghp_x' },
      { ADR_DIR: '/srv/adrs' },
    ];
    for (const extra of extras) {
      expect(problems({ ...base, ...oauth, ...extra })).toMatch(/in OAuth mode each workspace/);
    }
  });

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
