import { type AdrConvention, DEFAULT_CONVENTION } from '../domain/adr-convention';
import type { GroundedFinding, GroundedReview } from '../domain/review';
import { SEVERITY_ORDER } from '../domain/review';
import { slackTokensToMarkdown } from './adr-draft';
import { fillAdrTemplate } from './adr-template';

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
  /** The folder's way of writing ADRs; MADR with front matter when absent. */
  convention?: AdrConvention | undefined;
  /** The new ADR's number, in a numbered folder: for titles written `# 7. Title` and templates' NUMBER. */
  number?: number | undefined;
}

/** What an ADR section holds, whichever heading a layout or template gives it. */
export type SectionKey = 'context' | 'drivers' | 'options' | 'outcome' | 'consequences' | 'prosCons' | 'more';

export interface AdrSection {
  key: SectionKey;
  heading: string;
  level: 2 | 3;
  body: string;
}

/** The ADR's content before any layout: title, status, date and its sections (the empty ones left out). */
export interface AdrContent {
  title: string;
  status: AdrStatus;
  date: string;
  sections: AdrSection[];
}

/**
 * The ADR as Markdown, in the folder's convention: its own template when it has one (see adr-template.ts),
 * else the MADR sections (context and problem statement; decision drivers; considered options; decision
 * outcome with consequences; pros and cons of the options; more information with the links back to
 * Slack) under the folder's header (front matter, a `## Status` section, or `* Status:` bullets). A pure
 * function of the stored review, the form and the convention: no second Claude call, and the same
 * inputs always give the same file.
 */
export function renderAdrMarkdown(input: AdrDocumentInput): string {
  const content = adrContent(input);
  const convention = input.convention ?? DEFAULT_CONVENTION;
  if (convention.template) return fillAdrTemplate(convention.template, content, input.number);
  const title =
    convention.numberedTitle && input.number !== undefined
      ? `${input.number}. ${content.title}`
      : content.title;
  const header: Record<AdrConvention['header'], string[]> = {
    'front-matter': [
      ['---', `status: ${JSON.stringify(content.status)}`, `date: ${content.date}`, '---'].join('\n'),
      `# ${title}`,
    ],
    'status-section': [`# ${title}`, `Date: ${content.date}`, `## Status\n\n${capitalised(content.status)}`],
    'status-bullet': [
      `# ${title}`,
      `${convention.bullet} Status: ${content.status}\n${convention.bullet} Date: ${content.date}`,
    ],
  };
  const parts = [
    ...header[convention.header],
    ...content.sections.map((s) => `${'#'.repeat(s.level)} ${s.heading}\n\n${s.body}`),
  ];
  return `${parts.join('\n\n')}\n`;
}

/** The sections of the ADR, from the review and the form. */
export function adrContent(input: AdrDocumentInput): AdrContent {
  const { decision, review } = input;
  const title = oneLine(decision.title);
  const findings = [...review.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  const alternatives = review.alternatives ?? [];
  const sections: (AdrSection | undefined)[] = [
    section('context', 'Context and Problem Statement', [
      decision.context.trim(),
      `Reviewed by Architect (${oneLine(input.agentName)}): ${oneLine(review.headline)}`,
    ]),
    section('drivers', 'Decision Drivers', [
      bullets([
        ...findings.map((f) => `${oneLine(f.title)} (${f.severity}, ${oneLine(f.category)})`),
        ...review.assumptions.map((a) => `Constraint: ${oneLine(a)}`),
      ]),
    ]),
    section('options', 'Considered Options', [
      bullets([title, ...alternatives.map((a) => oneLine(a.option))]),
    ]),
    section('outcome', 'Decision Outcome', [`Chosen option: "${title}".`, decision.decision.trim()]),
    section('consequences', 'Consequences', [bullets(consequences(review, findings))], 3),
    section('prosCons', 'Pros and Cons of the Options', [
      alternatives.length === 0
        ? 'The review weighed no alternatives.'
        : alternatives
            .map((a) => `### ${oneLine(a.option)}\n\n${slackTokensToMarkdown(a.tradeoffs.trim())}`)
            .join('\n\n'),
    ]),
    section('more', 'More Information', [
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
  return {
    title,
    status: decision.status,
    date: input.date,
    sections: sections.filter((s): s is AdrSection => s !== undefined),
  };
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

function section(
  key: SectionKey,
  heading: string,
  paragraphs: string[],
  level: 2 | 3 = 2,
): AdrSection | undefined {
  const body = paragraphs.filter((p) => p.trim() !== '').join('\n\n');
  return body ? { key, heading, level, body } : undefined;
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function bullets(items: string[]): string {
  return items.map((i) => `* ${i}`).join('\n');
}

/** One line of review text for the file: Slack markup made plain Markdown, whitespace folded. */
const oneLine = (text: string) => slackTokensToMarkdown(text).replace(/\s+/g, ' ').trim();
