import type { GroundedFinding, GroundedReview } from '../domain/review';
import { SEVERITY_ORDER } from '../domain/review';
import { slackTokensToMarkdown } from './adr-draft';

export const ADR_STATUSES = ['proposed', 'accepted'] as const;
export type AdrStatus = (typeof ADR_STATUSES)[number];

/** What the team decided, as submitted in the "Save as ADR" form. */
export interface AdrDecision {
  title: string;
  status: AdrStatus;
  /** The decision in one paragraph. */
  decision: string;
  /** The context and problem statement; may be empty. */
  context: string;
}

export interface AdrDocumentInput {
  decision: AdrDecision;
  review: GroundedReview;
  agentName: string;
  /** The day it was saved, YYYY-MM-DD. */
  date: string;
  /** Back to Slack; each absent when Slack gave no permalink. */
  links: { thread?: string | undefined; review?: string | undefined };
}

/**
 * The ADR as Markdown in the MADR layout (front matter with status and date; context and problem
 * statement; decision drivers; considered options; decision outcome with consequences; pros and cons
 * of the options; more information with the links back to Slack). A pure function of the stored review
 * and the form: no second Claude call, and the same inputs always give the same file.
 */
export function renderAdrMarkdown(input: AdrDocumentInput): string {
  const { decision, review } = input;
  const title = oneLine(decision.title);
  const findings = [...review.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  const alternatives = review.alternatives ?? [];
  const parts: string[] = [
    ['---', `status: ${JSON.stringify(decision.status)}`, `date: ${input.date}`, '---'].join('\n'),
    `# ${title}`,
    section('Context and Problem Statement', [
      decision.context.trim(),
      `Reviewed by Architect (${oneLine(input.agentName)}): ${oneLine(review.headline)}`,
    ]),
    section('Decision Drivers', [
      bullets([
        ...findings.map((f) => `${oneLine(f.title)} (${f.severity}, ${oneLine(f.category)})`),
        ...review.assumptions.map((a) => `Constraint: ${oneLine(a)}`),
      ]),
    ]),
    section('Considered Options', [bullets([title, ...alternatives.map((a) => oneLine(a.option))])]),
    section('Decision Outcome', [`Chosen option: "${title}".`, decision.decision.trim()]),
    subsection('Consequences', [bullets(consequences(review, findings))]),
    section('Pros and Cons of the Options', [
      alternatives.length === 0
        ? 'The review weighed no alternatives.'
        : alternatives
            .map((a) => `### ${oneLine(a.option)}\n\n${slackTokensToMarkdown(a.tradeoffs.trim())}`)
            .join('\n\n'),
    ]),
    section('More Information', [
      bullets([
        input.links.thread ? `Slack thread: ${input.links.thread}` : 'Slack thread: (no link available)',
        input.links.review
          ? `Architect's review: ${input.links.review}`
          : "Architect's review: in the Slack thread",
        ...(review.decisions ?? []).map(
          (d) => `The review recommended: ${oneLine(d.decision)}. ${oneLine(d.rationale)}`,
        ),
        ...cited(findings),
      ]),
    ]),
  ];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

/** Good: why the recommended decisions help; bad: each finding's risk, with its mitigation. */
function consequences(review: GroundedReview, findings: GroundedFinding[]): string[] {
  return [
    ...(review.decisions ?? []).map((d) => `Good: ${oneLine(d.rationale)}`),
    ...findings.map(
      (f) => `Bad: ${oneLine(f.title)} (${f.severity}). Mitigation: ${oneLine(f.recommendation)}`,
    ),
  ];
}

function cited(findings: GroundedFinding[]): string[] {
  const seen = new Map<string, string>();
  for (const f of findings) {
    if (!f.adr || seen.has(f.adr.id)) continue;
    const label = `${f.adr.id}: ${oneLine(f.adr.title)}`;
    seen.set(f.adr.id, `Related decision: ${f.adr.url ? `[${label}](${f.adr.url})` : label}`);
  }
  return [...seen.values()];
}

function section(title: string, paragraphs: string[]): string {
  const body = paragraphs.filter((p) => p.trim() !== '').join('\n\n');
  return body ? `## ${title}\n\n${body}` : '';
}

function subsection(title: string, paragraphs: string[]): string {
  const body = section(title, paragraphs);
  return body ? `#${body}` : '';
}

function bullets(items: string[]): string {
  return items.map((i) => `* ${i}`).join('\n');
}

/** One line of review text for the file: Slack markup made plain Markdown, whitespace folded. */
const oneLine = (text: string) => slackTokensToMarkdown(text).replace(/\s+/g, ' ').trim();
