import { readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import type { Agent } from '../../src/agents/agent';
import { parseAgentFile, parseLenientFrontMatter, resolveModel } from '../../src/agents/parse-agent-file';

const ROOT = path.resolve(__dirname, '../..');
const SEED = path.join(ROOT, 'agents/backend-architect.md');
const MIXED = path.join(ROOT, 'test/fixtures/agents/mixed');
const LOADS = path.join(ROOT, 'test/fixtures/agents/claude-code-loads');

const models = {
  defaultModel: 'claude-default-1',
  aliases: {
    sonnet: 'claude-sonnet-test',
    opus: 'claude-opus-test',
    haiku: 'claude-haiku-test',
    fable: 'claude-fable-test',
  },
};

function load(content: string, file = '/agents/some-agent.md'): Agent {
  const result = parseAgentFile(file, content, models);
  if (!result.ok) throw new Error(`expected ${file} to load, got: ${result.reason}`);
  return result.agent;
}

function loadFixture(name: string): { agent: Agent; warnings: string[] } {
  const file = path.join(LOADS, name);
  const result = parseAgentFile(file, readFileSync(file, 'utf8'), models);
  if (!result.ok) throw new Error(`expected ${name} to load, got: ${result.reason}`);
  return { agent: result.agent, warnings: result.warnings };
}

function reasonFor(content: string, file = '/agents/some-agent.md'): string {
  const result = parseAgentFile(file, content, models);
  if (result.ok) throw new Error(`expected ${file} to be skipped, but it loaded`);
  return result.reason;
}

const agentFile = (frontMatter: string, body = 'You help.') => `---\n${frontMatter}\n---\n${body}\n`;

describe('the seed agent (not strict YAML)', () => {
  const content = readFileSync(SEED, 'utf8');
  const descriptionLine = content.split('\n').find((l) => l.startsWith('description: ')) ?? '';

  it('is really not strict YAML, which is why a lenient fallback exists', () => {
    const frontMatter = content.split('\n---\n')[0]?.replace(/^---\n/, '') ?? '';
    expect(() => parseYaml(frontMatter)).toThrow();
    expect(() => matter(content, {})).toThrow();
  });

  it('loads with its full description, inherited model and color', () => {
    const agent = load(content, SEED);
    expect(descriptionLine.length).toBeGreaterThan(500);
    expect(agent.description).toBe(descriptionLine.slice('description: '.length));
    expect(agent).toMatchObject({
      name: 'backend-architect',
      model: 'claude-default-1',
      modelSetting: 'inherit',
      color: 'purple',
      tools: [],
      file: SEED,
    });
    expect(agent.systemPrompt.startsWith('You are a Senior Backend Architect')).toBe(true);
    expect(agent.reaction).toBeUndefined();
  });
});

describe('front matter formats found in public agent collections', () => {
  it('turns literal \\n escapes in the description into line breaks', () => {
    const agent = load(agentFile('name: a\ndescription: First line.\\nSecond line.\\n\\nThird.'));
    expect(agent.description).toBe('First line.\nSecond line.\n\nThird.');
  });

  it('reads tools as a comma string, a YAML list or a flow list', () => {
    expect(load(agentFile('name: a\ntools: Read, Grep,  Glob')).tools).toEqual(['Read', 'Grep', 'Glob']);
    expect(load(agentFile('name: a\ntools:\n  - Read\n  - Grep')).tools).toEqual(['Read', 'Grep']);
    expect(load(agentFile('name: a\ntools: [Read, "Grep"]')).tools).toEqual(['Read', 'Grep']);
    expect(load(agentFile('name: a')).tools).toEqual([]);
  });

  it('reads a tools list and quoted values even when the rest is not strict YAML', () => {
    const agent = load(
      agentFile(
        [
          'name: "quoted-name"',
          'description: Use when: anything',
          'tools:',
          '  - Read',
          '  - "Grep"',
          "color: 'it''s red'",
        ].join('\n'),
      ),
    );
    expect(agent).toMatchObject({
      name: 'quoted-name',
      description: 'Use when: anything',
      tools: ['Read', 'Grep'],
      color: "it's red",
    });
  });

  it('reads block scalars, in strict YAML and in the lenient fallback', () => {
    const strict = load(agentFile('name: a\ndescription: |\n  Line one\n  Line two'));
    expect(strict.description).toBe('Line one\nLine two');
    const lenient = load(agentFile('name: a\ncolor: x: y\ndescription: >\n  Folded\n  text\n\n  Next'));
    expect(lenient.description).toBe('Folded text\n\nNext');
  });

  it('uses the file name when the name is missing', () => {
    expect(load(agentFile('description: d'), '/x/code-reviewer.md').name).toBe('code-reviewer');
    expect(load(agentFile('description: d'), '/x/my agent.md').name).toBe('my agent');
  });

  it('accepts a closing line with extra dashes', () => {
    const agent = load('---\nname: dashes\ndescription: d\n-----\nYou help.\n');
    expect(agent).toMatchObject({ name: 'dashes', description: 'd', systemPrompt: 'You help.' });
  });

  it('tolerates CRLF line endings and a UTF-8 BOM', () => {
    const content =
      '\uFEFF---\r\nname: windows\r\ndescription: Made on: Windows\r\ntools: Read\r\n---\r\nLine 1\r\nLine 2\r\n';
    const agent = load(content);
    expect(agent).toMatchObject({
      name: 'windows',
      description: 'Made on: Windows',
      tools: ['Read'],
      systemPrompt: 'Line 1\nLine 2',
    });
  });

  it('accepts ---yaml as the opening line', () => {
    expect(load('---yaml\nname: y\n---\nYou help.').name).toBe('y');
  });

  it('keeps values as written (no YAML 1.1 booleans or octal numbers)', () => {
    expect(load(agentFile('name: "007"\ncolor: yes')).color).toBe('yes');
    expect(load(agentFile('name: 007')).name).toBe('007');
  });
});

describe('model resolution', () => {
  const modelOf = (model: string | undefined) =>
    load(agentFile(model === undefined ? 'name: a' : `name: a\nmodel: ${model}`));

  it('resolves inherit and a missing model to the default model', () => {
    expect(modelOf('inherit')).toMatchObject({ model: 'claude-default-1', modelSetting: 'inherit' });
    expect(modelOf(undefined)).toMatchObject({ model: 'claude-default-1', modelSetting: 'inherit' });
  });

  it('resolves the short aliases through the configured aliases', () => {
    expect(modelOf('sonnet')).toMatchObject({ model: 'claude-sonnet-test', modelSetting: 'sonnet' });
    expect(modelOf('opus').model).toBe('claude-opus-test');
    expect(modelOf('haiku').model).toBe('claude-haiku-test');
  });

  it('passes full claude- model ids through', () => {
    expect(modelOf('claude-opus-4-1')).toMatchObject({
      model: 'claude-opus-4-1',
      modelSetting: 'claude-opus-4-1',
    });
  });

  it('resolves fable through its configured alias', () => {
    expect(modelOf('fable')).toMatchObject({ model: 'claude-fable-test', modelSetting: 'fable' });
  });

  it('falls back to the default model for any other value, with a warning naming it', () => {
    const result = parseAgentFile('/agents/a.md', agentFile('name: a\nmodel: gpt4'), models);
    expect(result).toMatchObject({
      ok: true,
      agent: { model: 'claude-default-1', modelSetting: 'gpt4' },
      warnings: [
        'unknown model "gpt4" (use inherit, sonnet, opus, haiku, fable or a full claude- model id); ' +
          'using the default model claude-default-1',
      ],
    });
    expect(resolveModel('claude opus', models)).toMatchObject({ id: 'claude-default-1' });
  });

  it('gives no warning for a model it knows', () => {
    expect(parseAgentFile('/agents/a.md', agentFile('name: a\nmodel: sonnet'), models)).toMatchObject({
      warnings: [],
    });
  });
});

describe('files Claude Code loads that earlier versions skipped or cut', () => {
  it('loads names with a dot or spaces, as written', () => {
    expect(loadFixture('dotnet-framework-4.8-expert.md').agent).toMatchObject({
      name: 'dotnet-framework-4.8-expert',
      model: 'claude-sonnet-test',
      tools: ['Read', 'Grep', 'Glob'],
    });
    expect(loadFixture('python-backend-expert.md').agent.name).toBe('Python Backend Expert');
    expect(loadFixture('startup-cto.md').agent).toMatchObject({ name: 'Startup CTO', color: 'green' });
  });

  it('resolves model: fable', () => {
    expect(loadFixture('fable-model.md')).toEqual({
      agent: expect.objectContaining({ name: 'fable-planner', model: 'claude-fable-test' }),
      warnings: [],
    });
  });

  it.each([
    ['display-name-model.md', 'Claude Sonnet 4.5'],
    ['other-vendor-model.md', 'gpt-4o'],
  ])('loads %s with the default model and a warning naming %j', (file, value) => {
    const { agent, warnings } = loadFixture(file);
    expect(agent).toMatchObject({ model: 'claude-default-1', modelSetting: value });
    expect(warnings).toEqual([expect.stringContaining(`unknown model "${value}"`)]);
    expect(warnings[0]).toContain('using the default model claude-default-1');
  });

  it('keeps a description whose unindented example lines start with word:, up to the next known key', () => {
    const { agent } = loadFixture('example-laden-description.md');
    expect(agent.description).toBe(
      [
        'Use this agent when a design adds a queue, a topic or a background worker. Examples:',
        '<example>',
        'Context: The user is moving order e-mails off the request path.',
        'user: "We will push order e-mails onto SQS and send them from a worker"',
        'assistant: "I\'ll use the queue-reviewer agent to check retries, ordering and poison messages."',
        '<commentary>',
        'A new queue is being introduced, so the queue reviewer should look at its failure modes.',
        '</commentary>',
        '</example>',
        '<example>',
        'Context: The user asks about Kafka partitions.',
        'user: "How many partitions should the payments topic have?"',
        'assistant: "Let me ask the queue-reviewer agent."',
        '</example>',
      ].join('\n'),
    );
    expect(agent).toMatchObject({
      name: 'queue-reviewer',
      model: 'claude-haiku-test',
      color: 'cyan',
      tools: ['Read', 'Grep'],
    });
    expect(agent.systemPrompt.startsWith('You review queues')).toBe(true);
  });

  it('starts a new field at every key Claude Code documents, such as permissionMode or maxTurns', () => {
    const agent = load(
      agentFile(
        [
          'name: a',
          'description: Reviews: designs',
          'user: "an example line"',
          'permissionMode: plan',
          'maxTurns: 5',
          'color: red',
        ].join('\n'),
      ),
    );
    expect(agent).toMatchObject({ description: 'Reviews: designs\nuser: "an example line"', color: 'red' });
  });
});

describe('front matter is never executed', () => {
  const evil = readFileSync(path.join(MIXED, 'evil-js.md'), 'utf8');
  const flag = '__architectFrontMatterRan';
  const ran = () => (globalThis as Record<string, unknown>)[flag];
  afterEach(() => {
    delete (globalThis as Record<string, unknown>)[flag];
  });

  it('the fixture really runs code under a default gray-matter parse (control)', () => {
    matter(evil, {});
    expect(ran()).toBe(true);
  });

  it('skips ---js front matter without running it', () => {
    expect(reasonFor(evil)).toBe('front matter language "js" is not allowed (only YAML)');
    expect(ran()).toBeUndefined();
  });

  it('refuses every non-YAML language', () => {
    for (const language of ['javascript', 'coffee', 'json']) {
      expect(reasonFor(`---${language}\n{ name: "x" }\n---\nYou help.`)).toBe(
        `front matter language "${language}" is not allowed (only YAML)`,
      );
    }
  });
});

describe('files that are skipped', () => {
  it('without front matter', () => {
    expect(reasonFor('# Notes\n\nNo front matter.\n')).toMatch(/^no front matter/);
    expect(reasonFor('\n---\nname: a\n---\nbody')).toMatch(/^no front matter/);
  });

  it('with front matter that is never closed', () => {
    expect(reasonFor('---\nname: a\nYou help.\n')).toMatch(/not closed/);
  });

  it('with an empty system prompt', () => {
    expect(reasonFor(agentFile('name: a', '  \n\n'))).toBe(
      'empty system prompt (nothing after the front matter)',
    );
  });

  it('with an empty name, which only a nameless file called " .md" can have', () => {
    expect(reasonFor(agentFile('description: d'), '/x/ .md')).toBe(
      'empty name (give the agent a name: field)',
    );
  });

  it('with values of the wrong type, without crashing', () => {
    expect(reasonFor(agentFile('name: [1, 2]'))).toBe(
      'invalid front matter: "name" must be text, not a list',
    );
    expect(reasonFor(agentFile('name: a\ntools:\n  read: yes'))).toBe(
      'invalid front matter: "tools" must be a comma-separated string or a list of tool names',
    );
    expect(reasonFor(agentFile('name: a\ndescription:\n  nested: map'))).toBe(
      'invalid front matter: "description" must be text, not a map',
    );
  });

  it('with front matter that is neither YAML nor key: value lines', () => {
    expect(reasonFor(agentFile('[unclosed'))).toBe('front matter is neither YAML nor key: value lines');
  });
});

describe('reaction', () => {
  it('is optional', () => {
    expect('reaction' in load(agentFile('name: a'))).toBe(false);
  });

  it('strips surrounding colons', () => {
    expect(load(agentFile('name: a\nreaction: ":mag:"')).reaction).toBe('mag');
    expect(load(agentFile('name: a\nreaction: building_construction')).reaction).toBe(
      'building_construction',
    );
    expect(load(agentFile('name: a\nreaction: +1')).reaction).toBe('+1');
  });

  it('must be an emoji name', () => {
    expect(reasonFor(agentFile('name: a\nreaction: not valid!'))).toBe(
      'invalid reaction "not valid!" (use an emoji name such as building_construction)',
    );
  });
});

describe('parseLenientFrontMatter', () => {
  it.each([
    [
      'takes everything after the first ": " as the value and folds indented lines',
      '# comment\nname: a\ndescription: x: y: z\n  continued\ncolor: red',
      { name: 'a', description: 'x: y: z continued', color: 'red' },
    ],
    [
      'keeps unindented lines in a description, and ignores lines outside one',
      'not a key\nname: a\ndescription: x: y\nnot a key\n\nuser: hi\nmodel: m',
      { name: 'a', description: 'x: y\nnot a key\n\nuser: hi', model: 'm' },
    ],
    [
      'ends a quoted description at its line',
      'description: "x: y"\nversion: 2\nname: a',
      { description: 'x: y', version: '2', name: 'a' },
    ],
  ])('%s', (_what, text, fields) => {
    expect(parseLenientFrontMatter(text)).toEqual(fields);
  });
});
