import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = 'src/cli/check-agents.ts';
const MIXED = 'test/fixtures/agents/mixed';
const LOADS = 'test/fixtures/agents/claude-code-loads';

// Only what the command may read; no Slack or Anthropic credentials, to prove it runs without them.
const CHECK_VARS = [
  'AGENTS_DIR',
  'DEFAULT_AGENT',
  'ANTHROPIC_MODEL',
  'MODEL_ALIAS_SONNET',
  'MODEL_ALIAS_OPUS',
  'MODEL_ALIAS_HAIKU',
  'MODEL_ALIAS_FABLE',
];

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (CHECK_VARS.includes(name) || name.startsWith('SLACK_') || name.startsWith('ANTHROPIC_'))
      delete env[name];
  }
  return env;
}

function check(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(TSX, [CLI, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    encoding: 'utf8',
  });
  return { status: result.status, lines: result.stdout.trimEnd().split('\n'), stderr: result.stderr };
}

describe('agents:check', () => {
  it('reports each file of a folder with good and bad files, and exits 1', () => {
    const { status, lines } = check([MIXED]);
    expect(lines).toEqual([
      'ok a-reviewer (claude-sonnet-5-5)',
      `skipped ${MIXED}/b-duplicate.md: duplicate name "a-reviewer" (already defined by a-reviewer.md)`,
      'ok bad-model (claude-sonnet-5-5)',
      `warning ${MIXED}/bad-model.md: unknown model "gpt4" (use inherit, sonnet, opus, haiku, fable or a full claude- model id); using the default model claude-sonnet-5-5`,
      `skipped ${MIXED}/empty-body.md: empty system prompt (nothing after the front matter)`,
      `skipped ${MIXED}/evil-js.md: front matter language "js" is not allowed (only YAML)`,
      `skipped ${MIXED}/no-front-matter.md: no front matter (the file must start with a --- line)`,
      `skipped ${MIXED}/wrong-type.md: invalid front matter: "name" must be text, not a list`,
      'ok z-planner (claude-opus-4-1)',
      '3 agents ok, 5 skipped, 1 warning',
    ]);
    expect(status).toBe(1);
  });

  it('loads every file Claude Code loads, warning about unknown models, and exits 0', () => {
    const { status, lines } = check([LOADS], { MODEL_ALIAS_FABLE: 'claude-fable-custom' });
    const fallback = (value: string) =>
      `unknown model "${value}" (use inherit, sonnet, opus, haiku, fable or a full claude- model id); ` +
      'using the default model claude-sonnet-5-5';
    expect(lines).toEqual([
      'ok display-name-model (claude-sonnet-5-5)',
      `warning ${LOADS}/display-name-model.md: ${fallback('Claude Sonnet 4.5')}`,
      'ok dotnet-framework-4.8-expert (claude-sonnet-5-5)',
      'ok queue-reviewer (claude-haiku-5-5)',
      'ok fable-planner (claude-fable-custom)',
      'ok other-vendor-model (claude-sonnet-5-5)',
      `warning ${LOADS}/other-vendor-model.md: ${fallback('gpt-4o')}`,
      'ok Python Backend Expert (claude-opus-5-5)',
      'ok Startup CTO (claude-sonnet-5-5)',
      '7 agents ok, 0 skipped, 2 warnings',
    ]);
    expect(status).toBe(0);
  });

  it('resolves model: fable to claude-fable-5-2 by default', () => {
    expect(check([LOADS]).lines).toContain('ok fable-planner (claude-fable-5-2)');
  });

  it('accepts DEFAULT_AGENT by the slug of a name with spaces', () => {
    const { status, lines } = check([LOADS], { DEFAULT_AGENT: 'startup-cto' });
    expect(lines.some((l) => l.startsWith('DEFAULT_AGENT'))).toBe(false);
    expect(status).toBe(0);
  });

  it('passes the seed agents folder with exit code 0', () => {
    const { status, lines } = check(['agents']);
    expect(lines).toEqual(['ok backend-architect (claude-sonnet-5-5)', '1 agent ok, 0 skipped']);
    expect(status).toBe(0);
  });

  it('defaults to AGENTS_DIR, then to agents/', () => {
    expect(check([], { AGENTS_DIR: MIXED }).lines[0]).toBe('ok a-reviewer (claude-sonnet-5-5)');
    expect(check([]).lines[0]).toBe('ok backend-architect (claude-sonnet-5-5)');
  });

  it('resolves models with ANTHROPIC_MODEL and the MODEL_ALIAS_ variables', () => {
    expect(check(['agents'], { ANTHROPIC_MODEL: 'claude-custom-default' }).lines[0]).toBe(
      'ok backend-architect (claude-custom-default)',
    );
    expect(check([MIXED], { MODEL_ALIAS_SONNET: 'claude-sonnet-custom' }).lines[0]).toBe(
      'ok a-reviewer (claude-sonnet-custom)',
    );
  });

  it('exits 1 with a clear message when the folder does not exist', () => {
    const { status, stderr } = check(['no-such-folder']);
    expect(stderr.trim()).toBe('agents folder "no-such-folder" does not exist');
    expect(status).toBe(1);
  });

  it('exits 1 when DEFAULT_AGENT is set and did not load', () => {
    const { status, lines } = check(['agents'], { DEFAULT_AGENT: 'frontend' });
    expect(lines).toContain(
      'DEFAULT_AGENT "frontend" did not load from agents/: no such agent; loaded: backend-architect',
    );
    expect(status).toBe(1);
  });
});
