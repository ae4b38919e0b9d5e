import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Agent, ModelSettings } from './agent';

/** Either a loaded agent or why the file was skipped (with the agent's name when the file got that far). */
export type ParseAgentResult = { ok: true; agent: Agent } | { ok: false; reason: string; name?: string };

const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/i;
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
class FrontMatterProblem extends Error {}

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
    if (error instanceof FrontMatterProblem) return { ok: false, reason: error.message };
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

/** Reads top-level `key: value` lines, where the value is everything after the first `: `. */
export function parseLenientFrontMatter(text: string): Fields {
  const lines = text.split('\n');
  const fields: Fields = {};
  let i = 0;
  while (i < lines.length) {
    const match = TOP_LEVEL_KEY.exec(lines[i] ?? '');
    i += 1;
    if (!match?.[1]) continue;
    const continuation = takeContinuation(lines, i);
    i += continuation.length;
    fields[match[1]] = lenientValue((match[2] ?? '').trim(), continuation);
  }
  return fields;
}

/** The lines that belong to the previous key: indented lines, blank lines, and `- item` lines. */
function takeContinuation(lines: string[], start: number): string[] {
  const taken: string[] = [];
  for (let i = start; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() !== '' && !/^[ \t]/.test(line) && !line.startsWith('- ')) break;
    taken.push(line);
  }
  while (taken.length > 0 && taken[taken.length - 1]?.trim() === '') taken.pop();
  return taken;
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
  const fromFileName = fm.name === undefined;
  const name = (fm.name ?? path.basename(file, '.md')).trim();
  if (!NAME_PATTERN.test(name)) {
    const source = fromFileName ? ' taken from the file name' : '';
    return {
      ok: false,
      reason: `invalid name "${name}"${source} (use letters, digits, - and _, starting with a letter or digit)`,
    };
  }
  const fail = (reason: string): ParseAgentResult => ({ ok: false, reason, name });
  const model = resolveModel(fm.model, models);
  if (!model.ok) return fail(model.reason);
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
  return { ok: true, agent };
}

type Resolved = { ok: true; id: string } | { ok: false; reason: string };

/** Resolves a model setting the way Claude Code does: inherit, a short alias, or a full claude- id. */
export function resolveModel(setting: string | undefined, models: ModelSettings): Resolved {
  const value = setting?.trim() ?? 'inherit';
  const key = value.toLowerCase();
  if (key === 'inherit') return { ok: true, id: models.defaultModel };
  const alias = Object.hasOwn(models.aliases, key) ? models.aliases[key] : undefined;
  if (alias !== undefined) return { ok: true, id: alias };
  if (/^claude-\S+$/.test(value)) return { ok: true, id: value };
  const choices = ['inherit', ...Object.keys(models.aliases)];
  return {
    ok: false,
    reason: `unknown model alias "${value}" (use ${choices.join(', ')} or a full claude- model id)`,
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
