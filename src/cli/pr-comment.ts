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
    : `_The full review did not fit in this comment: \`architect review ${outcome.path}\` prints it._`;
  return `${heading}\n\n${safeForGitHub(lead)}\n\n${rest}`;
}

/** A path as inline code, with a fence longer than any run of backticks inside it. */
function code(text: string): string {
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
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line;
      // Odd pieces of the split are code spans, left as they are.
      return line
        .split(/(`+[^`]*`+)/)
        .map((piece, i) =>
          i % 2 === 1 ? piece : piece.replace(/</g, '&lt;').replace(/(^|[^\w`])@(?=\w)/g, '$1@\u2060'),
        )
        .join('');
    })
    .join('\n');
}
