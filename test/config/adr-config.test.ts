import { ConfigError, loadConfig } from '../../src/config/config';

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

describe('the ADR settings', () => {
  it('leave GitHub off by default, with ADRs in docs/adr', () => {
    expect(loadConfig(minimal).adr).toEqual({ github: undefined, localDir: undefined });
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
