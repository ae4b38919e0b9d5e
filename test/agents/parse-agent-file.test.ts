import { readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import type { Agent } from '../../src/agents/agent';
import { parseAgentFile, parseLenientFrontMatter, resolveModel } from '../../src/agents/parse-agent-file';

const ROOT = path.resolve(__dirname, '../..');
const SEED = path.join(ROOT, 'agents/backend-architect.md');
const MIXED = path.join(ROOT, 'test/fixtures/agents/mixed');

const models = {
  defaultModel: 'claude-default-1',
  aliases: { sonnet: 'claude-sonnet-test', opus: 'claude-opus-test', haiku: 'claude-haiku-test' },
};

function load(content: string, file = '/agents/some-agent.md'): Agent {
  const result = parseAgentFile(file, content, models);
  if (!result.ok) throw new Error(`expected ${file} to load, got: ${result.reason}`);
  return result.agent;
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

  it('skips any other value, naming it', () => {
    expect(reasonFor(agentFile('name: a\nmodel: gpt4'))).toBe(
      'unknown model alias "gpt4" (use inherit, sonnet, opus, haiku or a full claude- model id)',
    );
    expect(resolveModel('claude opus', models).ok).toBe(false);
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

  it('with an invalid name, saying what a name may contain', () => {
    expect(reasonFor(agentFile('name: Bad Name'))).toBe(
      'invalid name "Bad Name" (use letters, digits, - and _, starting with a letter or digit)',
    );
    expect(reasonFor(agentFile('name: -dash'))).toMatch(/^invalid name "-dash"/);
    expect(reasonFor(agentFile('description: d'), '/x/my agent.md')).toMatch(
      /^invalid name "my agent" taken from the file name/,
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
  it('takes everything after the first ": " as the value, folds indented lines and ignores other lines', () => {
    expect(
      parseLenientFrontMatter('# comment\nname: a\ndescription: x: y: z\n  continued\nnot a key'),
    ).toEqual({
      name: 'a',
      description: 'x: y: z continued',
    });
  });
});
