import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Agent } from '../../src/agents/agent';
import {
  AgentRegistry,
  AgentsDirError,
  MissingAgentError,
  requireAgent,
} from '../../src/agents/agent-registry';
import { ErrorCode } from '../../src/errors';
import { createLogger, type Logger } from '../../src/logger';

const ROOT = path.resolve(__dirname, '../..');
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

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = { write: (s: string) => lines.push(JSON.parse(s) as LogLine) };
  return { logger: createLogger({ level: 'info', destination }), lines };
}

const silent = () => createLogger({ level: 'silent', pretty: false });

const agentText = (name: string, extra = '') =>
  `---\nname: ${name}\ndescription: d\n${extra}---\nYou help.\n`;

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'architect-agents-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('AgentRegistry.load on a folder of good and bad files', () => {
  const reasons = (registry: AgentRegistry) =>
    Object.fromEntries(registry.skipped.map((s) => [path.relative(MIXED, s.file), s.reason]));

  it('loads the good files, sorted by name, with absolute paths', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(registry.list().map((a) => a.name)).toEqual(['a-reviewer', 'bad-model', 'z-planner']);
    expect(registry.get('a-reviewer')).toMatchObject({
      description: 'Reviews designs: APIs, schemas and queues',
      model: 'claude-sonnet-test',
      tools: ['Read', 'Grep', 'Glob'],
      color: 'blue',
      reaction: 'mag',
      file: path.join(MIXED, 'a-reviewer.md'),
    });
    expect(registry.get('z-planner')).toMatchObject({
      description: 'Plans migrations.\nUse it before a schema change.',
      model: 'claude-opus-4-1',
      tools: ['Read', 'Grep'],
    });
  });

  it('skips each bad file with its reason, the later of two duplicates naming the first', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(reasons(registry)).toEqual({
      'b-duplicate.md': 'duplicate name "a-reviewer" (already defined by a-reviewer.md)',
      'empty-body.md': 'empty system prompt (nothing after the front matter)',
      'evil-js.md': 'front matter language "js" is not allowed (only YAML)',
      'no-front-matter.md': 'no front matter (the file must start with a --- line)',
      'wrong-type.md': 'invalid front matter: "name" must be text, not a list',
    });
  });

  it('reads only *.md files directly in the folder', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(registry.get('nested')).toBeUndefined();
    const seen = [...registry.list().map((a) => a.file), ...registry.skipped.map((s) => s.file)];
    expect(seen.every((f) => path.dirname(f) === MIXED && f.endsWith('.md'))).toBe(true);
  });

  it('never runs front matter code', async () => {
    await AgentRegistry.load(MIXED, models, silent());
    expect((globalThis as Record<string, unknown>).__architectFrontMatterRan).toBeUndefined();
  });

  it('logs one warn line per skipped or questionable file and one info line with the loaded names', async () => {
    const { logger, lines } = capturingLogger();
    await AgentRegistry.load(MIXED, models, logger);
    const warns = lines.filter((l) => l.level === 40);
    const skips = warns.filter((w) => w.msg === 'agent file skipped');
    expect(skips).toHaveLength(5);
    for (const skip of skips) {
      expect(typeof skip.file).toBe('string');
      expect(typeof skip.reason).toBe('string');
    }
    expect(warns.filter((w) => w.msg !== 'agent file skipped')).toEqual([
      expect.objectContaining({
        msg: 'agent file loaded with a warning',
        file: path.join(MIXED, 'bad-model.md'),
        warning: expect.stringContaining('unknown model "gpt4"'),
      }),
    ]);
    const infos = lines.filter((l) => l.level === 30);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      msg: 'agents loaded',
      agents: ['a-reviewer', 'bad-model', 'z-planner'],
    });
  });

  it('loads a file with an unknown model on the default model, and says so', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(registry.get('bad-model')).toMatchObject({ model: 'claude-default-1', modelSetting: 'gpt4' });
    expect(registry.warnings).toEqual([
      {
        file: path.join(MIXED, 'bad-model.md'),
        message:
          'unknown model "gpt4" (use inherit, sonnet, opus, haiku, fable or a full claude- model id); ' +
          'using the default model claude-default-1',
      },
    ]);
  });

  it('finds agents by reaction, with or without colons', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(registry.byReaction('mag')?.name).toBe('a-reviewer');
    expect(registry.byReaction(':mag:')?.name).toBe('a-reviewer');
    expect(registry.byReaction('eyes')).toBeUndefined();
  });
});

describe('AgentRegistry on files Claude Code loads', () => {
  it('loads every file, none skipped, names as written', async () => {
    const registry = await AgentRegistry.load(LOADS, models, silent());
    expect(registry.skipped).toEqual([]);
    expect(registry.list().map((a) => a.name)).toEqual([
      'Python Backend Expert',
      'Startup CTO',
      'display-name-model',
      'dotnet-framework-4.8-expert',
      'fable-planner',
      'other-vendor-model',
      'queue-reviewer',
    ]);
    expect(registry.warnings.map((w) => path.basename(w.file))).toEqual([
      'display-name-model.md',
      'other-vendor-model.md',
    ]);
  });

  it.each([
    ['Startup CTO', 'Startup CTO'],
    ['startup cto', 'Startup CTO'],
    ['startup-cto', 'Startup CTO'],
    ['STARTUP_CTO', 'Startup CTO'],
    ['  Startup CTO ', 'Startup CTO'],
    ['python-backend-expert', 'Python Backend Expert'],
    ['dotnet-framework-4.8-expert', 'dotnet-framework-4.8-expert'],
    ['Dotnet-Framework-4.8-Expert', 'dotnet-framework-4.8-expert'],
    ['dotnet-framework-4-8-expert', 'dotnet-framework-4.8-expert'],
  ])('finds %j as %j', async (query, name) => {
    const registry = await AgentRegistry.load(LOADS, models, silent());
    expect(registry.get(query)?.name).toBe(name);
  });

  it('finds nothing for a name no agent has, or one with no letters or digits', async () => {
    const registry = await AgentRegistry.load(LOADS, models, silent());
    expect(registry.get('startup')).toBeUndefined();
    expect(registry.get('--')).toBeUndefined();
    expect(registry.get('')).toBeUndefined();
  });

  it('prefers the exact name, then case, then slug, and warns about names that collide', async () => {
    writeFileSync(path.join(tmp, 'a.md'), agentText('Startup CTO'));
    writeFileSync(path.join(tmp, 'b.md'), agentText('startup-cto'));
    writeFileSync(path.join(tmp, 'c.md'), agentText('STARTUP-CTO'));
    const registry = await AgentRegistry.load(tmp, models, silent());
    expect(registry.list()).toHaveLength(3);
    expect(registry.get('startup-cto')?.file).toBe(path.join(tmp, 'b.md'));
    expect(registry.get('STARTUP-CTO')?.file).toBe(path.join(tmp, 'c.md'));
    expect(registry.get('Startup-Cto')?.file).toBe(path.join(tmp, 'b.md'));
    expect(registry.get('startup_cto')?.file).toBe(path.join(tmp, 'a.md'));
    expect(registry.warnings).toEqual([
      {
        file: path.join(tmp, 'b.md'),
        message:
          'name "startup-cto" differs only in case or punctuation from "Startup CTO" (a.md); ask for either by its exact name, or name them apart',
      },
      {
        file: path.join(tmp, 'c.md'),
        message:
          'name "STARTUP-CTO" differs only in case or punctuation from "startup-cto" (b.md); ask for either by its exact name, or name them apart',
      },
    ]);
  });
});

describe('AgentRegistry.load edge cases', () => {
  it('loads the seed agents folder', async () => {
    const registry = await AgentRegistry.load(path.join(ROOT, 'agents'), models, silent());
    expect(registry.list().map((a) => a.name)).toEqual(['backend-architect']);
    expect(registry.skipped).toEqual([]);
  });

  it('skips symlinks, inside or pointing out of the folder', async () => {
    const outside = path.join(tmp, 'outside.md');
    writeFileSync(outside, agentText('outside'));
    const dir = path.join(tmp, 'agents');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'real.md'), agentText('real'));
    symlinkSync(outside, path.join(dir, 'link-out.md'));
    symlinkSync(path.join(dir, 'real.md'), path.join(dir, 'link-in.md'));
    const registry = await AgentRegistry.load(dir, models, silent());
    expect(registry.list().map((a) => a.name)).toEqual(['real']);
    expect(registry.skipped.map((s) => [path.basename(s.file), s.reason])).toEqual([
      ['link-in.md', 'symbolic link (links are not followed; copy the file into the folder)'],
      ['link-out.md', 'symbolic link (links are not followed; copy the file into the folder)'],
    ]);
  });

  it('skips a folder named like an agent file', async () => {
    mkdirSync(path.join(tmp, 'folder.md'));
    const registry = await AgentRegistry.load(tmp, models, silent());
    expect(registry.skipped).toEqual([{ file: path.join(tmp, 'folder.md'), reason: 'not a regular file' }]);
  });

  it('skips an unreadable file with the error code', async () => {
    writeFileSync(path.join(tmp, 'a.md'), agentText('a'));
    writeFileSync(path.join(tmp, 'b.md'), agentText('b'));
    const readFile = async (file: string) => {
      if (file.endsWith('b.md')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
      return agentText('a');
    };
    const registry = await AgentRegistry.load(tmp, models, silent(), { readFile });
    expect(registry.list().map((a) => a.name)).toEqual(['a']);
    expect(registry.skipped).toEqual([{ file: path.join(tmp, 'b.md'), reason: 'unreadable (EACCES)' }]);
  });

  it('keeps the first of two agents claiming the same reaction, and warns', async () => {
    writeFileSync(path.join(tmp, 'a.md'), agentText('a', 'reaction: eyes\n'));
    writeFileSync(path.join(tmp, 'b.md'), agentText('b', 'reaction: ":eyes:"\n'));
    const { logger, lines } = capturingLogger();
    const registry = await AgentRegistry.load(tmp, models, logger);
    expect(registry.byReaction('eyes')?.name).toBe('a');
    expect(registry.get('b')).toBeDefined();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, reaction: 'eyes', agent: 'a', file: path.join(tmp, 'b.md') }),
    );
  });

  it('throws AgentsDirError when the folder does not exist', async () => {
    const missing = path.join(tmp, 'nope');
    const error = await AgentRegistry.load(missing, models, silent()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentsDirError);
    expect(error).toMatchObject({ code: ErrorCode.AgentsDirUnreadable });
    expect((error as Error).message).toBe(`agents folder "${missing}" does not exist`);
  });
});

describe('requireAgent', () => {
  const agent = (name: string): Agent => ({
    name,
    description: '',
    model: 'm',
    modelSetting: 'inherit',
    tools: [],
    systemPrompt: 'p',
    file: `/agents/${name}.md`,
  });

  it('returns the agent when it loaded', () => {
    const registry = AgentRegistry.fromAgents([agent('a')]);
    expect(requireAgent(registry, 'a').name).toBe('a');
  });

  it('names the reason a skipped default agent did not load, and what did', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    const thrown = (() => {
      try {
        requireAgent(registry, 'empty-body');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(MissingAgentError);
    expect(thrown).toMatchObject({ code: ErrorCode.DefaultAgentMissing, agentName: 'empty-body' });
    expect((thrown as Error).message).toBe(
      `DEFAULT_AGENT "empty-body" did not load from ${MIXED}/: empty-body.md: empty system prompt ` +
        '(nothing after the front matter); loaded: a-reviewer, bad-model, z-planner',
    );
  });

  it('finds the default agent, or why it was skipped, by any case or slug of its name', async () => {
    const registry = await AgentRegistry.load(LOADS, models, silent());
    expect(requireAgent(registry, 'startup-cto').name).toBe('Startup CTO');
    const skipped = await AgentRegistry.load(MIXED, models, silent());
    expect(() => requireAgent(skipped, 'Empty Body')).toThrow(/: empty-body\.md: empty system prompt/);
  });

  it('finds the reason by file name when the file never got a name', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(() => requireAgent(registry, 'no-front-matter')).toThrow(/: no-front-matter\.md: no front matter/);
  });

  it('says "no such agent" when no file mentions it', () => {
    const registry = AgentRegistry.fromAgents([agent('b'), agent('a')], 'agents');
    expect(() => requireAgent(registry, 'x')).toThrow(
      new MissingAgentError('x', 'DEFAULT_AGENT "x" did not load from agents/: no such agent; loaded: a, b'),
    );
  });

  it('says "(none)" when nothing loaded', () => {
    expect(() => requireAgent(AgentRegistry.fromAgents([], 'agents/'), 'x')).toThrow(
      'DEFAULT_AGENT "x" did not load from agents/: no such agent; loaded: (none)',
    );
  });
});
