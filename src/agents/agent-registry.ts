import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { Agent, ModelSettings } from './agent';
import { agentSlug, namesAgent } from './agent-name';
import { parseAgentFile } from './parse-agent-file';

/** A file in the agents folder that did not become an agent, and why. */
export interface SkippedAgentFile {
  /** Absolute path. */
  file: string;
  reason: string;
  /** The agent name, when the file got far enough to have one. */
  name?: string;
}

/** A file that became an agent, with something its author should fix (e.g. a model that is not known). */
export interface AgentFileWarning {
  /** Absolute path. */
  file: string;
  message: string;
}

/** Thrown when the agents folder itself cannot be listed. */
export class AgentsDirError extends CodedError<typeof ErrorCode.AgentsDirUnreadable> {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(ErrorCode.AgentsDirUnreadable, `agents folder "${dir}" ${reason}`);
  }
}

/** Thrown when the agent the bot falls back to (DEFAULT_AGENT) is not among the loaded agents. */
export class MissingAgentError extends CodedError<typeof ErrorCode.DefaultAgentMissing> {
  constructor(
    readonly agentName: string,
    message: string,
  ) {
    super(ErrorCode.DefaultAgentMissing, message);
  }
}

/** Lets tests stand in for the file system where it cannot be made to fail (e.g. unreadable files as root). */
export interface AgentRegistryLoadOptions {
  readFile?: (file: string) => Promise<string>;
}

/** The agents loaded from one folder, by name and by review reaction. */
export class AgentRegistry {
  private readonly byName = new Map<string, Agent>();
  private readonly byLowerName = new Map<string, Agent>();
  private readonly bySlug = new Map<string, Agent>();
  private readonly byEmoji = new Map<string, Agent>();
  private readonly fileWarnings: AgentFileWarning[] = [];

  private constructor(
    /** The folder as it was given, for messages. */
    readonly dir: string,
    readonly skipped: readonly SkippedAgentFile[],
  ) {}

  /** Files that loaded but need their author's attention, in file order. */
  get warnings(): readonly AgentFileWarning[] {
    return this.fileWarnings;
  }

  /** Reads every `*.md` file directly in `dir`; files that cannot be used are skipped with a reason and logged. */
  static async load(
    dir: string,
    models: ModelSettings,
    logger: Logger,
    options: AgentRegistryLoadOptions = {},
  ): Promise<AgentRegistry> {
    const absoluteDir = path.resolve(dir);
    const files = await listAgentFiles(dir, absoluteDir);
    const read = options.readFile ?? ((file: string) => readFile(file, 'utf8'));
    const agents: Agent[] = [];
    const skipped: SkippedAgentFile[] = [];
    const warnings: AgentFileWarning[] = [];
    for (const file of files) {
      const result = await loadOne(file, models, read, agents);
      if (!result.ok) {
        skipped.push(skippedEntry(file, result.reason, result.name));
        continue;
      }
      agents.push(result.agent);
      for (const message of result.warnings) warnings.push({ file, message });
    }
    const registry = new AgentRegistry(dir, skipped);
    registry.fileWarnings.push(...warnings);
    registry.add(agents, logger);
    for (const { file, reason } of skipped) logger.warn({ file, reason }, 'agent file skipped');
    for (const { file, message } of registry.warnings) {
      logger.warn({ file, warning: message }, 'agent file loaded with a warning');
    }
    logger.info({ dir: absoluteDir, agents: registry.list().map((a) => a.name) }, 'agents loaded');
    return registry;
  }

  /** Builds a registry from agents already in memory, for tests and tools that do not read a folder. */
  static fromAgents(agents: Agent[], dir = '(in memory)'): AgentRegistry {
    const registry = new AgentRegistry(dir, []);
    registry.add(agents);
    return registry;
  }

  /**
   * The agent `--agent`, the agent menu or DEFAULT_AGENT asks for: the exact name first, then the name
   * ignoring case, then the slug (`startup-cto` for `Startup CTO`). Where two agents match at one step, the
   * one from the file that sorts first wins.
   */
  get(query: string): Agent | undefined {
    const name = query.trim();
    return (
      this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase()) ?? this.bySlug.get(agentSlug(name))
    );
  }

  /** Every loaded agent, sorted by name. */
  list(): Agent[] {
    return [...this.byName.values()].sort((a, b) => compare(a.name, b.name));
  }

  /** The agent whose `reaction` is this emoji (with or without surrounding colons). */
  byReaction(emoji: string): Agent | undefined {
    return this.byEmoji.get(emoji.replace(/^:|:$/g, ''));
  }

  private add(agents: Agent[], logger?: Logger): void {
    for (const agent of agents) {
      this.byName.set(agent.name, agent);
      this.addLooseName(agent);
      if (agent.reaction === undefined) continue;
      const holder = this.byEmoji.get(agent.reaction);
      if (holder) {
        logger?.warn(
          { file: agent.file, reaction: agent.reaction, agent: holder.name },
          'agent reaction already used by another agent; ignored',
        );
        continue;
      }
      this.byEmoji.set(agent.reaction, agent);
    }
  }

  /** Indexes the case-insensitive name and the slug; an agent whose slug is taken is found by exact name only. */
  private addLooseName(agent: Agent): void {
    const lower = agent.name.toLowerCase();
    const slug = agentSlug(agent.name);
    const holder = this.byLowerName.get(lower) ?? (slug === '' ? undefined : this.bySlug.get(slug));
    if (holder) {
      this.fileWarnings.push({
        file: agent.file,
        message:
          `name "${agent.name}" differs only in case or punctuation from "${holder.name}" ` +
          `(${path.basename(holder.file)}); ask for either by its exact name, or name them apart`,
      });
    }
    if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, agent);
    if (slug !== '' && !this.bySlug.has(slug)) this.bySlug.set(slug, agent);
  }
}

/**
 * Returns the named agent, or throws a MissingAgentError saying why it did not load and what did.
 * `askedBy` names where the name came from in that message (the setting, or a command-line option).
 */
export function requireAgent(registry: AgentRegistry, name: string, askedBy = 'DEFAULT_AGENT'): Agent {
  const agent = registry.get(name);
  if (agent) return agent;
  const skip = registry.skipped.find(
    (s) =>
      (s.name !== undefined && namesAgent(name, s.name)) || namesAgent(name, path.basename(s.file, '.md')),
  );
  const why = skip ? `${path.basename(skip.file)}: ${skip.reason}` : 'no such agent';
  const loaded = registry.list().map((a) => a.name);
  const dir = `${registry.dir.replace(/[\\/]+$/, '')}/`;
  throw new MissingAgentError(
    name,
    `${askedBy} "${name}" did not load from ${dir}: ${why}; loaded: ${loaded.join(', ') || '(none)'}`,
  );
}

async function listAgentFiles(dir: string, absoluteDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(absoluteDir);
  } catch (error) {
    throw new AgentsDirError(dir, describeDirError(error));
  }
  return names
    .filter((n) => n.endsWith('.md'))
    .sort(compare)
    .map((n) => path.join(absoluteDir, n));
}

function describeDirError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a folder';
  return `cannot be read (${code ?? String(error)})`;
}

// Duck-typed: errors from another realm (e.g. Node's fs under jest) fail `instanceof Error`.
function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

type LoadResult = ReturnType<typeof parseAgentFile>;

async function loadOne(
  file: string,
  models: ModelSettings,
  read: (file: string) => Promise<string>,
  loaded: Agent[],
): Promise<LoadResult> {
  const notAFile = await notRegularFileReason(file);
  if (notAFile !== undefined) return { ok: false, reason: notAFile };
  let content: string;
  try {
    content = await read(file);
  } catch (error) {
    return { ok: false, reason: `unreadable (${errorCode(error) ?? String(error)})` };
  }
  const result = parseAgentFile(file, content, models);
  if (!result.ok) return result;
  const first = loaded.find((a) => a.name === result.agent.name);
  if (!first) return result;
  const reason = `duplicate name "${first.name}" (already defined by ${path.basename(first.file)})`;
  return { ok: false, reason, name: first.name };
}

/** Why the entry is not read, if it is not a plain file: symlinks could point outside the folder. */
async function notRegularFileReason(file: string): Promise<string | undefined> {
  try {
    const stats = await lstat(file);
    if (stats.isSymbolicLink())
      return 'symbolic link (links are not followed; copy the file into the folder)';
    return stats.isFile() ? undefined : 'not a regular file';
  } catch (error) {
    return `unreadable (${errorCode(error) ?? String(error)})`;
  }
}

function skippedEntry(file: string, reason: string, name: string | undefined): SkippedAgentFile {
  return name === undefined ? { file, reason } : { file, reason, name };
}

// Code-point order, so the "first" of two duplicates is the same on every machine and locale.
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
