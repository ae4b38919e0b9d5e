import type { ConsultedReview } from '../consultation/consult-review';
import { COMMENT_LIMIT } from '../github/pull-request-comment';
import { reviewMarkdownParts } from '../rendering/review-markdown';

/** One changed file's outcome: its review, or why it has none. */
export type FileOutcome =
  | { path: string; agentName: string; result: ConsultedReview }
  | { path: string; error: string };

export interface CommentInput {
  outcomes: FileOutcome[];
  patterns: string[];
  agentName: string;
  /** The commit reviewed, when the event names it. */
  headSha?: string;
  /** Matching files left out to keep one run's cost bounded. */
  notReviewed: string[];
  maxFiles: number;
}

/** Room left under GitHub's comment limit for the marker and the truncation note. */
const COMMENT_BUDGET = COMMENT_LIMIT - 500;

/**
 * The pull request comment: per file, the verdict and must-fix first and the full review folded under
 * it. When the whole does not fit one comment, the full reviews give way to a pointer to the CLI, so
 * every file keeps its verdict.
 */
export function buildPullRequestComment(input: CommentInput): string {
  const full = render(input, true);
  return full.length <= COMMENT_BUDGET ? full : render(input, false);
}

function render(input: CommentInput, withFullReviews: boolean): string {
  const reviewed = input.outcomes.length;
  const at = input.headSha ? ` at ${input.headSha.slice(0, 7)}` : '';
  const parts = [
    '## Architect review',
    `${reviewed} changed design ${reviewed === 1 ? 'document' : 'documents'} matching ${input.patterns.map(code).join(', ')}, reviewed by **${input.agentName}**${at}.`,
    ...input.outcomes.map((o) => fileSection(o, withFullReviews)),
  ];
  if (input.notReviewed.length > 0) {
    parts.push(
      `_Not reviewed (at most ${input.maxFiles} ${input.maxFiles === 1 ? 'file' : 'files'} a run): ${input.notReviewed.map(code).join(', ')}._`,
    );
  }
  return parts.join('\n\n');
}

function fileSection(outcome: FileOutcome, withFullReview: boolean): string {
  const heading = `### ${code(outcome.path)}`;
  if ('error' in outcome) return `${heading}\n\n> ⚠️ Not reviewed: ${safeForGitHub(outcome.error)}`;
  const { result } = outcome;
  const { lead, full } = reviewMarkdownParts(
    result.review,
    {
      agentName: outcome.agentName,
      model: result.model,
      durationMs: result.claudeMs,
      asOf: result.asOf,
      usage: result.usage,
      notes: result.notes,
    },
    { headingLevel: 4 },
  );
  const rest = withFullReview
    ? `<details>\n<summary>Full review</summary>\n\n${safeForGitHub(full)}\n\n</details>`
    : `_The full review did not fit in this comment: ${code(`architect review ${outcome.path}`)} prints it._`;
  return `${heading}\n\n${safeForGitHub(lead)}\n\n${rest}`;
}

/**
 * A path as inline code, with a fence longer than any run of backticks inside it. A file name may hold
 * a newline or other control characters (git allows them): shown escaped, they cannot end the line.
 */
function code(raw: string): string {
  const text = raw.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is escaped here
    /[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ` ${text} ` : text}${fence}`;
}

/**
 * Claude's text on its way into a comment everyone on the pull request reads: outside code, `<` is
 * escaped so no HTML (an unclosed comment, a `<details>`) can hide or reshape the rest, and `@name` gets
 * a word joiner so quoting a design that mentions people or teams does not notify them.
 */
export function safeForGitHub(markdown: string): string {
  // A fence closes only with its own character, at least as long (CommonMark); anything else is inside.
  let fence: { char: string; length: number } | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      if (fence) {
        const closes =
          marker?.[1]?.[0] === fence.char && (marker[1]?.length ?? 0) >= fence.length && !marker[2]?.trim();
        if (closes) fence = undefined;
        return line;
      }
      // A backtick fence's info string may not hold a backtick; such a line is text, not a fence.
      if (marker?.[1] && !(marker[1][0] === '`' && marker[2]?.includes('`'))) {
        fence = { char: marker[1][0] ?? '`', length: marker[1].length };
        return line;
      }
      return codeSpans(line)
        .map((piece) =>
          piece.code
            ? piece.text
            : piece.text.replace(/</g, '&lt;').replace(/(^|[^\w`])@(?=\w)/g, '$1@\u2060'),
        )
        .join('');
    })
    .join('\n');
}

/**
 * A line cut into code spans and the text between them, as GitHub reads them: a span opens with a run
 * of backticks and closes at the next run of the same length; a run with no partner is plain text.
 */
function codeSpans(line: string): { text: string; code: boolean }[] {
  const pieces: { text: string; code: boolean }[] = [];
  let text = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      text += line[i];
      i++;
      continue;
    }
    const run = /^`+/.exec(line.slice(i))?.[0] ?? '`';
    const close = matchingRun(line, i + run.length, run.length);
    if (close === -1) {
      text += run;
      i += run.length;
      continue;
    }
    if (text) pieces.push({ text, code: false });
    text = '';
    pieces.push({ text: line.slice(i, close + run.length), code: true });
    i = close + run.length;
  }
  if (text) pieces.push({ text, code: false });
  return pieces;
}

/** Where the next run of exactly `length` backticks starts at or after `from`; -1 when none. */
function matchingRun(line: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(line); m; m = runs.exec(line)) {
    if (m[0].length === length) return m.index;
  }
  return -1;
}
