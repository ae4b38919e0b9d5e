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
import { createLogger, type Logger } from '../../src/logger';

const ROOT = path.resolve(__dirname, '../..');
const MIXED = path.join(ROOT, 'test/fixtures/agents/mixed');
const models = {
  defaultModel: 'claude-default-1',
  aliases: { sonnet: 'claude-sonnet-test', opus: 'claude-opus-test', haiku: 'claude-haiku-test' },
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
    expect(registry.list().map((a) => a.name)).toEqual(['a-reviewer', 'z-planner']);
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
      'bad-model.md':
        'unknown model alias "gpt4" (use inherit, sonnet, opus, haiku or a full claude- model id)',
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

  it('logs one warn line per skipped file and one info line with the loaded names', async () => {
    const { logger, lines } = capturingLogger();
    await AgentRegistry.load(MIXED, models, logger);
    const warns = lines.filter((l) => l.level === 40);
    expect(warns).toHaveLength(6);
    for (const warn of warns) {
      expect(warn.msg).toBe('agent file skipped');
      expect(typeof warn.file).toBe('string');
      expect(typeof warn.reason).toBe('string');
    }
    expect(warns.map((w) => path.basename(String(w.file)))).toContain('bad-model.md');
    const infos = lines.filter((l) => l.level === 30);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ msg: 'agents loaded', agents: ['a-reviewer', 'z-planner'] });
  });

  it('finds agents by reaction, with or without colons', async () => {
    const registry = await AgentRegistry.load(MIXED, models, silent());
    expect(registry.byReaction('mag')?.name).toBe('a-reviewer');
    expect(registry.byReaction(':mag:')?.name).toBe('a-reviewer');
    expect(registry.byReaction('eyes')).toBeUndefined();
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
    expect(error).toMatchObject({ code: 'ARCHITECT_AGENTS_DIR_UNREADABLE' });
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
        requireAgent(registry, 'bad-model');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(MissingAgentError);
    expect(thrown).toMatchObject({ code: 'ARCHITECT_DEFAULT_AGENT_MISSING', agentName: 'bad-model' });
    expect((thrown as Error).message).toBe(
      `DEFAULT_AGENT "bad-model" did not load from ${MIXED}/: bad-model.md: unknown model alias "gpt4" ` +
        '(use inherit, sonnet, opus, haiku or a full claude- model id); loaded: a-reviewer, z-planner',
    );
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
