import { z } from 'zod';

/**
 * The Dockerfile read as a recipe that can be followed without Docker: its stages and, in order,
 * the instructions the image check (image-check.ts) carries out. Only the instructions our Dockerfile
 * uses are understood; any other stops the check with its line number, so a new instruction gets
 * taught here instead of being skipped in silence.
 */

export type Instruction =
  | { kind: 'WORKDIR'; path: string }
  | { kind: 'COPY'; from: string | undefined; sources: string[]; dest: string }
  | { kind: 'RUN'; command: string }
  | { kind: 'ENV'; vars: Record<string, string> }
  | { kind: 'USER'; user: string }
  | { kind: 'EXPOSE'; ports: number[] }
  | { kind: 'HEALTHCHECK'; command: string }
  | { kind: 'CMD'; argv: string[] };

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export class DockerfileError extends Error {
  constructor(line: number, message: string) {
    super(`Dockerfile line ${line}: ${message}`);
  }
}

interface LogicalLine {
  line: number;
  keyword: string;
  rest: string;
}

/** Instructions with their continuation lines joined, comments and blank lines left out. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: { line: number; text: string } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) return;
    const continues = trimmed.endsWith('\\');
    const piece = continues ? trimmed.slice(0, -1) : trimmed;
    pending = pending
      ? { line: pending.line, text: `${pending.text} ${piece}` }
      : { line: index + 1, text: piece };
    if (continues) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending.text.trim());
    if (match?.[1]) out.push({ line: pending.line, keyword: match[1].toUpperCase(), rest: match[2] ?? '' });
    pending = undefined;
  });
  return out;
}

const ExecForm = z.array(z.string()).min(1);

function execForm(line: number, rest: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    throw new DockerfileError(line, `expected the exec form ["program", "arg", ...], got ${rest}`);
  }
  const result = ExecForm.safeParse(parsed);
  if (!result.success) throw new DockerfileError(line, `expected a list of strings, got ${rest}`);
  return result.data;
}

function parseCopy(line: number, rest: string): Instruction {
  const words = rest.split(/\s+/).filter(Boolean);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() ?? '';
    const fromFlag = /^--from=(.+)$/.exec(flag);
    if (!fromFlag?.[1])
      throw new DockerfileError(line, `COPY flag ${flag} is not understood by the image check`);
    from = fromFlag[1];
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new DockerfileError(line, 'COPY needs a source and a destination');
  return { kind: 'COPY', from, sources: words, dest };
}

function parseEnv(line: number, rest: string): Instruction {
  const vars: Record<string, string> = {};
  for (const pair of rest.split(/\s+/).filter(Boolean)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair);
    if (!match?.[1]) throw new DockerfileError(line, `ENV takes NAME=value pairs, got ${pair}`);
    vars[match[1]] = (match[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return { kind: 'ENV', vars };
}

function parseHealthcheck(line: number, rest: string): Instruction {
  const match = /^(?:--\S+\s+)*CMD\s+(.+)$/.exec(rest);
  if (!match?.[1]) throw new DockerfileError(line, 'HEALTHCHECK needs a CMD');
  return { kind: 'HEALTHCHECK', command: match[1] };
}

function parseInstruction({ line, keyword, rest }: LogicalLine): Instruction {
  switch (keyword) {
    case 'WORKDIR':
      return { kind: 'WORKDIR', path: rest };
    case 'COPY':
      return parseCopy(line, rest);
    case 'RUN':
      if (rest.startsWith('['))
        throw new DockerfileError(line, 'RUN in exec form is not understood by the image check');
      return { kind: 'RUN', command: rest };
    case 'ENV':
      return parseEnv(line, rest);
    case 'USER':
      return { kind: 'USER', user: rest };
    case 'EXPOSE':
      return { kind: 'EXPOSE', ports: rest.split(/\s+/).map((p) => Number.parseInt(p, 10)) };
    case 'HEALTHCHECK':
      return parseHealthcheck(line, rest);
    case 'CMD':
      return { kind: 'CMD', argv: execForm(line, rest) };
    default:
      throw new DockerfileError(
        line,
        `${keyword} is not understood by the image check (test/deploy/dockerfile-recipe.ts)`,
      );
  }
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const logical of logicalLines(text)) {
    if (logical.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(logical.rest);
      if (!match?.[1]) throw new DockerfileError(logical.line, `FROM takes an image and an optional AS name`);
      stages.push({ name: match[2] ?? String(stages.length), base: match[1], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new DockerfileError(logical.line, `${logical.keyword} before any FROM`);
    stage.instructions.push(parseInstruction(logical));
  }
  if (stages.length === 0) throw new DockerfileError(1, 'no FROM');
  return stages;
}
