import type { CitedAdr, GroundedFinding, GroundedReview, Severity, Verdict } from '../domain/review';
import { SEVERITY_ORDER } from '../domain/review';
import { formatCount } from '../lib/mrkdwn';
import { formatDuration, type ReplyMeta } from './reply-meta';
import { SEVERITY_LABELS, VERDICT_LABELS } from './review-labels';
import { technologyVersion } from './technology-version';

/**
 * A review as GitHub-flavoured Markdown that also reads as plain text in a terminal: no tables, no HTML,
 * Unicode marks instead of Slack's emoji codes. The verdict and what must be fixed come first, then the
 * full review in the order of the Slack full review (src/rendering/full-review.ts).
 */

export type MarkdownMeta = Omit<ReplyMeta, 'requestId' | 'otherAgents'>;

export interface MarkdownOptions {
  /** Level of the section headings (2: `##`); findings are one level below. A PR comment nests them. */
  headingLevel?: number;
}

const VERDICT_MARKS: Record<Verdict, string> = { sound: '✅', sound_with_changes: '🟡', rethink: '🛑' };
const SEVERITY_MARKS: Record<Severity, string> = { blocker: '🔴', major: '🟠', minor: '⚪' };

/** The review in two parts: `lead` (verdict, TL;DR, must-fix titles) and `full` (everything, in order). */
export function reviewMarkdownParts(
  review: GroundedReview,
  meta: MarkdownMeta,
  options: MarkdownOptions = {},
): { lead: string; full: string } {
  const level = Math.min(5, Math.max(1, options.headingLevel ?? 2));
  const h = (text: string, extra = 0) => `${'#'.repeat(level + extra)} ${oneLine(text)}`;
  const findings = [...review.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  return {
    lead: join([headline(review), prose(review.tldr), review.kind === 'review' ? mustFix(findings) : '']),
    full: join([
      whatChanged(review, h),
      findingsSection(review, findings, h),
      titled(h('Assumptions'), list(review.assumptions.map((a) => `- ${oneLine(a)}`))),
      architecture(review, h),
      titled(
        h('Decisions'),
        list((review.decisions ?? []).map((d) => `- **${oneLine(d.decision)}** — ${oneLine(d.rationale)}`)),
      ),
      titled(
        h('Alternatives'),
        list((review.alternatives ?? []).map((a) => `- **${oneLine(a.option)}** — ${oneLine(a.tradeoffs)}`)),
      ),
      titled(
        h('Roadmap'),
        join(
          (review.roadmap ?? []).map(
            (p) => `**${oneLine(p.phase)}**\n\n${list(p.items.map((i) => `- ${oneLine(i)}`))}`,
          ),
        ),
      ),
      titled(
        h('Technologies'),
        list(
          (review.technologies ?? []).map((t) => {
            const { stated, unverified } = technologyVersion(t);
            const name = `**${oneLine(t.name)}${stated ? ` ${oneLine(stated)}` : ''}**`;
            return `- ${name}${unverified ? ` (${oneLine(unverified)}, unverified)` : ''} — ${oneLine(t.purpose)}`;
          }),
        ),
      ),
      titled(h('Scalability & performance'), prose(review.scalability ?? '')),
      titled(h('Security & compliance'), prose(review.security ?? '')),
      titled(
        h('Questions from the architect'),
        list(review.clarifyingQuestions.map((q, i) => `${i + 1}. ${oneLine(q.question)}`)),
      ),
      footer(meta),
    ]),
  };
}

/** The whole review as one Markdown document: the lead, a rule, then the full review. */
export function renderReviewMarkdown(
  review: GroundedReview,
  meta: MarkdownMeta,
  options: MarkdownOptions = {},
): string {
  const { lead, full } = reviewMarkdownParts(review, meta, options);
  return `${lead}\n\n---\n\n${full}\n`;
}

function headline(review: GroundedReview): string {
  if (!review.verdict) return `**${oneLine(review.headline)}**`;
  const verdict = `${VERDICT_MARKS[review.verdict]} ${VERDICT_LABELS[review.verdict].label}`;
  return `**${verdict}** — ${oneLine(review.headline)}`;
}

/** Blockers and majors by title: what must change before building. The full review says why and how. */
function mustFix(findings: GroundedFinding[]): string {
  const musts = findings.filter((f) => f.severity !== 'minor');
  if (musts.length === 0) return findings.length === 0 ? '**Must fix:** nothing.' : '';
  const lines = musts.map(
    (f, i) => `${i + 1}. ${SEVERITY_MARKS[f.severity]} **${oneLine(f.title)}** (${label(f)})`,
  );
  return `**Must fix**\n\n${lines.join('\n')}`;
}

function label(f: GroundedFinding): string {
  return `${SEVERITY_LABELS[f.severity].label.toLowerCase()} · ${oneLine(f.category)}`;
}

function whatChanged(review: GroundedReview, h: (text: string) => string): string {
  const w = review.whatChanged;
  if (!w) return '';
  const line = (name: string, items: string[]) =>
    items.length ? `**${name}:** ${items.map(oneLine).join(' · ')}` : '';
  return titled(
    h('What changed'),
    join([
      prose(w.summary),
      line('Resolved', w.resolved),
      line('Still open', w.stillOpen),
      line('New', w.new),
    ]),
  );
}

function findingsSection(
  review: GroundedReview,
  findings: GroundedFinding[],
  h: (text: string, extra?: number) => string,
): string {
  if (findings.length === 0)
    return review.kind === 'review' ? `${h('Findings')}\n\nNo significant issues.` : '';
  return join([
    h(`Findings (${findings.length})`),
    ...findings.map((f) =>
      join([
        h(
          `${SEVERITY_MARKS[f.severity]} ${SEVERITY_LABELS[f.severity].label} · ${f.category} — ${f.title}`,
          1,
        ),
        f.adr ? adrLine(f.adr) : '',
        prose(f.detail),
        `**Recommendation:** ${prose(f.recommendation)}`,
        f.evidence ? `> “${oneLine(f.evidence)}”` : '',
        f.verified
          ? ''
          : f.aboutAbsence && f.absent
            ? `_About what the design leaves out: looked for ${oneLine(f.absent)} and found none._`
            : '_Not tied to a quote from what was reviewed: check it against the design._',
      ]),
    ),
  ]);
}

/** The team's ADR a finding cites, linked when it is on GitHub, as the Slack full review says it. */
function adrLine(adr: CitedAdr): string {
  const label = oneLine(`${adr.id}: ${adr.title}`).replace(/[[\]]/g, '\\$&');
  const link = adr.url && /^https?:\/\/[^\s()<>]+$/.test(adr.url) ? `[${label}](${adr.url})` : `**${label}**`;
  const status = adr.status ? ` (${oneLine(adr.status)})` : '';
  if (adr.superseded) return `📌 Cites ${link}${status}, which is superseded and no longer holds`;
  return adr.relation === 'contradicts'
    ? `⚠️ Goes against the team’s decision ${link}${status}`
    : `📌 Follows the team’s decision ${link}${status}`;
}

function architecture(review: GroundedReview, h: (text: string) => string): string {
  const arch = review.recommendedArchitecture;
  if (!arch) return '';
  return titled(
    h('Recommended architecture'),
    join([
      prose(arch.overview),
      list(arch.components.map((c) => `- **${oneLine(c.name)}** — ${oneLine(c.responsibility)}`)),
    ]),
  );
}

/** Token and cache figures, as in the Slack full review's footer. */
function footer(meta: MarkdownMeta): string {
  const u = meta.usage;
  const parts = [
    meta.agentName,
    meta.model,
    formatDuration(meta.durationMs),
    `${formatCount(u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens)} tokens in (${formatCount(u.cacheReadTokens)} from cache, ${formatCount(u.cacheWriteTokens)} cached), ${formatCount(u.outputTokens)} out`,
  ];
  return [`_${parts.map(oneLine).join(' · ')}_`, ...(meta.notes ?? []).map((n) => `_${oneLine(n)}_`)].join(
    '\n\n',
  );
}

function titled(heading: string, body: string): string {
  return body.trim() ? `${heading}\n\n${body}` : '';
}

/** List lines as one tight list. */
function list(lines: string[]): string {
  return lines.join('\n');
}

/**
 * Claude's free text as it wrote it, Markdown and all, except that its headings become bold lines: a
 * heading inside a field would otherwise outrank the review's own sections.
 */
function prose(text: string): string {
  let inFence = false;
  return text
    .trim()
    .split(/\r?\n/)
    .map((l) => {
      if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
      const heading = inFence ? null : /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
      return heading ? `**${heading[1]}**` : l;
    })
    .join('\n');
}

/** Paragraphs, with the empty ones left out. */
function join(parts: string[]): string {
  return parts.filter((p) => p.trim().length > 0).join('\n\n');
}

/** Text for a heading, a bold run or a list line, where a line break would end it early. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
