import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CodedError, ErrorCode, isCodedError } from '../errors';
import type { Agent, ModelSettings } from './agent';

/**
 * Either a loaded agent, with what was questionable about its file, or why the file was skipped (with the
 * agent's name when the file got that far).
 */
export type ParseAgentResult =
  | { ok: true; agent: Agent; warnings: string[] }
  | { ok: false; reason: string; name?: string };

const REACTION_PATTERN = /^[a-z0-9_+'-]+$/;
const OPENING_FENCE = /^-{3,}[ \t]*([A-Za-z][\w+-]*)?[ \t]*$/;
const CLOSING_FENCE = /^-{3,}[ \t]*$/;
const YAML_LANGUAGES = new Set(['yaml', 'yml']);

type Fields = Record<string, unknown>;

/**
 * Turns one agent file into an Agent, or a reason it cannot be used. Pure: never reads files, never
 * evaluates anything found in the file.
 */
export function parseAgentFile(file: string, content: string, models: ModelSettings): ParseAgentResult {
  const split = splitFrontMatter(normalizeText(content));
  if (!split.ok) return split;
  const parsed = FrontMatterSchema.safeParse(split.fields);
  if (!parsed.success) return { ok: false, reason: `invalid front matter: ${describeIssues(parsed.error)}` };
  return buildAgent(file, parsed.data, split.body, models);
}

/** Removes what editors add that no parser should see: a UTF-8 BOM and Windows line endings. */
function normalizeText(content: string): string {
  return content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

type Split = { ok: true; fields: Fields; body: string } | { ok: false; reason: string };

/** Raised inside gray-matter's engine so that a front-matter problem comes back as a skip reason. */
class FrontMatterProblem extends CodedError<typeof ErrorCode.FrontMatterRefused> {
  constructor(reason: string) {
    super(ErrorCode.FrontMatterRefused, reason);
  }
}

const refuseCode = (): never => {
  throw new FrontMatterProblem('front matter code is never executed');
};

/**
 * Splits front matter from body with gray-matter. Two things it does by default are unsafe here:
 * `---js` front matter runs through eval (so code languages get engines that refuse), and results are
 * cached by content when no options are passed (so options are always passed).
 */
function splitFrontMatter(text: string): Split {
  const lines = text.split('\n');
  const opening = OPENING_FENCE.exec(lines[0] ?? '');
  if (!opening) return { ok: false, reason: 'no front matter (the file must start with a --- line)' };
  const language = opening[1];
  if (language !== undefined && !YAML_LANGUAGES.has(language.toLowerCase())) {
    return { ok: false, reason: `front matter language "${language}" is not allowed (only YAML)` };
  }
  const end = lines.findIndex((line, i) => i > 0 && CLOSING_FENCE.test(line));
  if (end === -1) return { ok: false, reason: 'front matter is not closed (no --- line after it)' };
  // Claude Code accepts fences with extra dashes or a language tag; gray-matter wants plain `---`.
  const fenced = ['---', ...lines.slice(1, end), '---', ...lines.slice(end + 1)].join('\n');
  try {
    const file = matter(fenced, {
      language: 'yaml',
      engines: {
        yaml: (source: string) => {
          const fields = readFrontMatter(source);
          if (!fields.ok) throw new FrontMatterProblem(fields.reason);
          return fields.value;
        },
        js: refuseCode,
        javascript: refuseCode,
        coffee: refuseCode,
        coffeescript: refuseCode,
      },
    });
    return { ok: true, fields: file.data, body: file.content };
  } catch (error) {
    if (isCodedError(error, ErrorCode.FrontMatterRefused)) return { ok: false, reason: error.message };
    return {
      ok: false,
      reason: `front matter could not be read (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

type FieldsResult = { ok: true; value: Fields } | { ok: false; reason: string };

/**
 * Strict YAML first; Claude Code also accepts front matter that is not valid YAML (notably one-line
 * descriptions containing `: `), so a failed strict parse falls back to reading `key: value` lines.
 */
function readFrontMatter(text: string): FieldsResult {
  const strict = parseStrictYaml(text);
  if (strict !== undefined) return { ok: true, value: strict };
  const lenient = parseLenientFrontMatter(text);
  if (Object.keys(lenient).length === 0) {
    return { ok: false, reason: 'front matter is neither YAML nor key: value lines' };
  }
  return { ok: true, value: lenient };
}

function parseStrictYaml(text: string): Fields | undefined {
  let value: unknown;
  try {
    // The failsafe schema keeps every scalar a string, so `name: 007` or `color: yes` mean what they say.
    value = parseYaml(text, { schema: 'failsafe', logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (value === null || value === undefined || value === '') return {};
  return isPlainObject(value) ? value : undefined;
}

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const BLOCK_SCALAR = /^([|>])[+-]?\d*$/;

/**
 * The front-matter fields Claude Code documents for subagents
 * (https://code.claude.com/docs/en/sub-agents#supported-frontmatter-fields), plus Architect's `reaction`.
 * In the lenient reader only these start a new field inside a description: example-laden descriptions
 * carry unindented `Context: …`, `user: …` and `assistant: …` lines that are part of the text.
 */
const KNOWN_KEYS = new Set([
  'name',
  'description',
  'tools',
  'disallowedTools',
  'model',
  'permissionMode',
  'maxTurns',
  'skills',
  'mcpServers',
  'hooks',
  'memory',
  'background',
  'effort',
  'isolation',
  'color',
  'initialPrompt',
  'reaction',
]);

/** Fields whose plain value is prose that may run on over unindented lines until the next known key. */
const PROSE_KEYS = new Set(['description']);

/** Reads top-level `key: value` lines, where the value is everything after the first `: `. */
export function parseLenientFrontMatter(text: string): Fields {
  const lines = text.split('\n');
  const fields: Fields = {};
  let i = 0;
  while (i < lines.length) {
    const match = TOP_LEVEL_KEY.exec(lines[i] ?? '');
    i += 1;
    if (!match?.[1]) continue;
    const raw = (match[2] ?? '').trim();
    const prose = PROSE_KEYS.has(match[1]) && isPlainValue(raw);
    const continuation = prose ? takeProse(lines, i) : takeContinuation(lines, i);
    i += continuation.length;
    fields[match[1]] = prose ? proseValue(raw, continuation) : lenientValue(raw, continuation);
  }
  return fields;
}

function isPlainValue(raw: string): boolean {
  return !BLOCK_SCALAR.test(raw) && !/^["'[]/.test(raw);
}

/** The lines that belong to the previous key: indented lines, blank lines, and `- item` lines. */
function takeContinuation(lines: string[], start: number): string[] {
  const taken: string[] = [];
  for (let i = start; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() !== '' && !/^[ \t]/.test(line) && !line.startsWith('- ')) break;
    taken.push(line);
  }
  return withoutTrailingBlanks(taken);
}

/** Every line up to the next line that starts a field Claude Code knows. */
function takeProse(lines: string[], start: number): string[] {
  const taken: string[] = [];
  for (let i = start; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const key = TOP_LEVEL_KEY.exec(line)?.[1];
    if (key !== undefined && KNOWN_KEYS.has(key)) break;
    taken.push(line);
  }
  return withoutTrailingBlanks(taken);
}

function withoutTrailingBlanks(lines: string[]): string[] {
  const kept = [...lines];
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  return kept;
}

/**
 * Indented continuation lines fold into one line, as in YAML. Unindented ones are not YAML at all; they
 * are kept as the lines they are, since they are usually examples (`user: …`, `assistant: …`).
 */
function proseValue(raw: string, continuation: string[]): string | string[] {
  const runsOn = continuation.some((l) => l.trim() !== '' && !/^[ \t]/.test(l));
  if (!runsOn) return lenientValue(raw, continuation);
  return [raw, ...continuation.map((l) => l.trim())]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function lenientValue(raw: string, continuation: string[]): string | string[] {
  const block = BLOCK_SCALAR.exec(raw);
  if (block) return blockScalar(continuation, block[1] === '|');
  const items = continuation.map((l) => l.trim()).filter((l) => l !== '');
  if (raw === '' && items.length > 0 && items.every((l) => l.startsWith('-'))) {
    return items.map((l) => unquote(l.replace(/^-[ \t]*/, '')));
  }
  if (raw.startsWith('[') && raw.endsWith(']')) return flowList(raw);
  if (/^["']/.test(raw)) return unquote(raw);
  return [raw, ...items].filter((l) => l !== '').join(' ');
}

function blockScalar(lines: string[], literal: boolean): string {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  const dedented = lines.map((l) => l.slice(indent));
  if (literal) return dedented.join('\n');
  // Folded: single line breaks become spaces, blank lines stay paragraph breaks.
  return dedented.join('\n').replace(/([^\n])\n(?=[^\n])/g, '$1 ');
}

function flowList(raw: string): string[] {
  return raw
    .slice(1, -1)
    .split(',')
    .map((item) => unquote(item.trim()))
    .filter((item) => item !== '');
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      return String(JSON.parse(value));
    } catch {
      return value.slice(1, -1);
    }
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
    return value.slice(1, -1).replace(/''/g, "'");
  }
  return value;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return typeof value;
}

const blankAsUndefined = (v: unknown) =>
  v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;

const text = () =>
  z.preprocess(
    blankAsUndefined,
    z.string({ error: (issue) => `must be text, not ${kindOf(issue.input)}` }).optional(),
  );

const FrontMatterSchema = z.object({
  name: text(),
  description: text(),
  model: text(),
  color: text(),
  reaction: text(),
  tools: z.preprocess(
    blankAsUndefined,
    z
      .union([z.string(), z.array(z.string())], {
        error: 'must be a comma-separated string or a list of tool names',
      })
      .optional(),
  ),
});

type FrontMatter = z.infer<typeof FrontMatterSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `"${issue.path.join('.')}" ${issue.message}`).join('; ');
}

function buildAgent(file: string, fm: FrontMatter, body: string, models: ModelSettings): ParseAgentResult {
  // Claude Code takes any name as written (`Startup CTO`, `dotnet-framework-4.8-expert`); the registry
  // also finds it case-insensitively and by slug.
  const name = (fm.name ?? path.basename(file, '.md')).trim();
  if (name === '') return { ok: false, reason: 'empty name (give the agent a name: field)' };
  const fail = (reason: string): ParseAgentResult => ({ ok: false, reason, name });
  const model = resolveModel(fm.model, models);
  const reaction = normalizeReaction(fm.reaction);
  if (!reaction.ok) return fail(reaction.reason);
  const systemPrompt = body.trim();
  if (systemPrompt === '') return fail('empty system prompt (nothing after the front matter)');
  const agent: Agent = {
    name,
    // Public agent collections write one-line descriptions with literal \n escapes for line breaks.
    description: (fm.description ?? '').replace(/\\n/g, '\n').trim(),
    model: model.id,
    modelSetting: fm.model?.trim() ?? 'inherit',
    tools: normalizeTools(fm.tools),
    systemPrompt,
    file,
  };
  if (fm.color !== undefined) agent.color = fm.color.trim();
  if (reaction.value !== undefined) agent.reaction = reaction.value;
  return { ok: true, agent, warnings: model.warning === undefined ? [] : [model.warning] };
}

/** The model id to send, and why it is the default model when the file's setting could not be used. */
export interface ResolvedModel {
  id: string;
  warning?: string;
}

/**
 * Resolves a model setting the way Claude Code does: inherit, a short alias, or a full claude- id. Any
 * other value (`Claude Sonnet 4.5`, `gpt-4o`) falls back to the default model, as Claude Code does, with
 * a warning that names the value.
 */
export function resolveModel(setting: string | undefined, models: ModelSettings): ResolvedModel {
  const value = setting?.trim() ?? 'inherit';
  const key = value.toLowerCase();
  if (key === 'inherit') return { id: models.defaultModel };
  const alias = Object.hasOwn(models.aliases, key) ? models.aliases[key] : undefined;
  if (alias !== undefined) return { id: alias };
  if (/^claude-\S+$/.test(value)) return { id: value };
  const choices = ['inherit', ...Object.keys(models.aliases)];
  return {
    id: models.defaultModel,
    warning:
      `unknown model "${value}" (use ${choices.join(', ')} or a full claude- model id); ` +
      `using the default model ${models.defaultModel}`,
  };
}

function normalizeReaction(
  raw: string | undefined,
): { ok: true; value?: string } | { ok: false; reason: string } {
  if (raw === undefined) return { ok: true };
  const value = raw.trim().replace(/^:|:$/g, '');
  if (!REACTION_PATTERN.test(value)) {
    return {
      ok: false,
      reason: `invalid reaction "${raw}" (use an emoji name such as building_construction)`,
    };
  }
  return { ok: true, value };
}

function normalizeTools(tools: string | string[] | undefined): string[] {
  const list = typeof tools === 'string' ? tools.split(',') : (tools ?? []);
  return list.map((t) => t.trim()).filter((t) => t !== '');
}
