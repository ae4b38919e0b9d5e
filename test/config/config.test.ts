import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

const ROOT = path.resolve(__dirname, '../..');
const minimal = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', ANTHROPIC_API_KEY: 'sk-ant-x' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'architect',
      role: 'all',
      workerConcurrency: 25,
      agentsDir: 'agents',
      defaultAgent: 'backend-architect',
      reviewReaction: 'building_construction',
      slack: { mode: 'http' },
    });
    expect(config.anthropic.defaultModel).toMatch(/^claude-sonnet-/);
  });

  it('names every variable a newcomer still has to set in its first error, the Slack connection included', () => {
    const problems = problemsOf({}).join('\n');
    for (const name of ['SLACK_BOT_TOKEN', 'ANTHROPIC_API_KEY', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']) {
      expect(problems).toContain(name);
    }
  });

  it('chooses Socket Mode when an app token is set, unless SLACK_MODE says otherwise', () => {
    expect(loadConfig({ ...minimal, SLACK_APP_TOKEN: 'xapp-1' }).slack.mode).toBe('socket');
    expect(loadConfig({ ...minimal, SLACK_APP_TOKEN: 'xapp-1', SLACK_MODE: 'http' }).slack.mode).toBe('http');
  });

  it('names every missing or malformed variable in one error', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'not-a-bot-token',
      PORT: 'eighty',
      ROLE: 'boss',
      WORKER_CONCURRENCY: '0',
    });
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'PORT', 'ROLE', 'WORKER_CONCURRENCY', 'ANTHROPIC_API_KEY']),
    );
  });

  it('requires the signing secret in HTTP mode and the app token in Socket Mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', ANTHROPIC_API_KEY: 'k' })).toEqual([
      expect.stringContaining('SLACK_SIGNING_SECRET is required'),
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', ANTHROPIC_API_KEY: 'k', SLACK_MODE: 'socket' })).toEqual([
      expect.stringContaining('SLACK_APP_TOKEN is required'),
    ]);
  });

  it('accepts the review emoji with or without colons', () => {
    expect(loadConfig({ ...minimal, REVIEW_REACTION: ':eyes:' }).reviewReaction).toBe('eyes');
  });

  it('streams the summary unless STREAMING_ENABLED turns it off', () => {
    expect(loadConfig(minimal).context.streaming).toBe(true);
    expect(loadConfig({ ...minimal, STREAMING_ENABLED: 'false' }).context.streaming).toBe(false);
    expect(loadConfig({ ...minimal, STREAMING_ENABLED: '0' }).context.streaming).toBe(false);
    expect(loadConfig({ ...minimal, STREAMING_ENABLED: 'true' }).context.streaming).toBe(true);
    expect(() => loadConfig({ ...minimal, STREAMING_ENABLED: 'maybe' })).toThrow(/STREAMING_ENABLED/);
  });

  it('stops the process with exit code 1 and one message naming every bad variable, without a stack trace', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'architect-config-'));
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/main.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', PORT: 'x' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN');
    expect(result.stderr).toContain('ANTHROPIC_API_KEY');
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the ADR settings', () => {
  it('leave GitHub off by default, with ADRs in docs/adr', () => {
    expect(loadConfig(minimal).adr).toEqual({
      github: undefined,
      localDir: undefined,
      apiUrl: undefined,
      defaultPath: 'docs/adr',
    });
  });

  it('connect a repository with a token, GitHub Enterprise included', () => {
    const config = loadConfig({
      ...minimal,
      GITHUB_TOKEN: 'github_pat_x',
      GITHUB_REPOSITORY: 'acme/platform',
      ADR_PATH: '/architecture/decisions/',
      GITHUB_API_URL: 'https://github.example.com/api/v3',
    });
    expect(config.adr.github).toEqual({
      token: 'github_pat_x',
      owner: 'acme',
      repo: 'platform',
      adrPath: 'architecture/decisions',
      apiUrl: 'https://github.example.com/api/v3',
    });
  });

  it('name what is missing or malformed', () => {
    expect(problemsOf({ ...minimal, GITHUB_REPOSITORY: 'acme/platform' })).toEqual([
      'GITHUB_REPOSITORY needs GITHUB_TOKEN (a token that can write to that repository)',
    ]);
    expect(problemsOf({ ...minimal, GITHUB_TOKEN: 'github_pat_x' })).toEqual([
      'GITHUB_TOKEN is set but GITHUB_REPOSITORY (owner/name) is not',
    ]);
    expect(
      problemsOf({ ...minimal, GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'https://github.com/acme' }),
    ).toEqual(['GITHUB_REPOSITORY must be owner/name, e.g. acme/platform']);
  });
});

describe('MCP over HTTP settings', () => {
  const token = 'a'.repeat(32);
  const oauth = {
    SLACK_SIGNING_SECRET: 'secret',
    ANTHROPIC_API_KEY: 'sk-ant-x',
    SLACK_CLIENT_ID: '1.2',
    SLACK_CLIENT_SECRET: 's',
    SLACK_STATE_SECRET: 's',
    DATABASE_URL: 'postgres://localhost/x',
    INSTALLATION_ENCRYPTION_KEY: 'b'.repeat(64),
  };

  it('are off by default, and take several tokens, one per client', () => {
    expect(loadConfig(minimal).mcp).toBeUndefined();
    expect(loadConfig({ ...minimal, MCP_TOKEN: ` ${token}, ${'c'.repeat(40)} ` }).mcp).toEqual({
      tokens: [token, 'c'.repeat(40)],
      teamId: undefined,
    });
  });

  it('refuse a short token, a team without a token, and OAuth mode without the team to charge', () => {
    expect(problemsOf({ ...minimal, MCP_TOKEN: 'secret' })).toEqual([
      'MCP_TOKEN must be tokens of 32 or more characters (`openssl rand -hex 32`), separated by commas',
    ]);
    expect(problemsOf({ ...minimal, MCP_TEAM_ID: 'T0123' })).toEqual([
      'MCP_TEAM_ID is set but MCP_TOKEN is not: /mcp is off without a token',
    ]);
    expect(problemsOf({ ...oauth, MCP_TOKEN: token })).toEqual([
      'MCP_TOKEN in OAuth mode needs MCP_TEAM_ID: the workspace whose daily budget MCP reviews count against',
    ]);
    expect(loadConfig({ ...oauth, MCP_TOKEN: token, MCP_TEAM_ID: 'T0123' }).mcp?.teamId).toBe('T0123');
  });
});
