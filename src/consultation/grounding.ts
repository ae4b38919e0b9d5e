import type Anthropic from '@anthropic-ai/sdk';
import { findCitedAdr, type KnownAdr } from '../domain/known-adr';
import type { CitedAdr, Finding, GroundedReview, Review } from '../domain/review';

/**
 * Checks each finding's `evidence` against the text Claude was given. A quote that is not there is
 * dropped from the finding, and the finding is kept but marked unverified (the full review says so):
 * a real problem described in other words is still worth reading, but never as if the thread said it.
 * A finding citing one of the team's ADRs (`adrs`, those Claude was shown) is grounded by that ADR when
 * it exists, and carries its title, status and link; a citation of any other ADR is dropped the same way.
 */
export function groundReview(
  review: Review,
  sourceText: string,
  adrs: readonly KnownAdr[] = [],
): GroundedReview {
  const haystack = normalise(sourceText);
  return {
    ...review,
    ...(review.technologies
      ? {
          technologies: review.technologies.map((t) =>
            t.version ? { ...t, versionStated: versionStated(t.name, t.version, haystack) } : t,
          ),
        }
      : {}),
    findings: review.findings.map((finding) => {
      const { evidence, adr: citation, ...rest } = finding;
      const quote = evidence ? normalise(evidence) : '';
      const quoted = quote.length >= 3 && haystack.includes(quote);
      const cited = citation ? citedAdr(citation, adrs) : undefined;
      const verified = quoted || cited !== undefined;
      return {
        ...rest,
        ...(quoted ? { evidence } : {}),
        ...(cited ? { adr: cited } : {}),
        verified,
        ...(!verified && isAbsent(finding.absent, haystack) ? { aboutAbsence: true } : {}),
      };
    }),
  };
}

/**
 * A finding about what the design leaves out has nothing to quote. It counts as such only when it names
 * what it looked for and the thread does not in fact mention that (a "missing" rollback plan the thread
 * describes is an ungrounded finding, not an absence).
 */
function isAbsent(absent: string | undefined, haystack: string): boolean {
  const lookedFor = normalise(absent ?? '')
    .replace(/^(an?|the|any|no)\s+/, '')
    .trim();
  return lookedFor.length >= 3 && !haystack.includes(lookedFor);
}

function citedAdr(citation: NonNullable<Finding['adr']>, known: readonly KnownAdr[]): CitedAdr | undefined {
  const adr = findCitedAdr(citation.id, known);
  if (!adr) return undefined;
  return {
    id: adr.id,
    relation: citation.relation,
    title: adr.title,
    ...(adr.status ? { status: adr.status } : {}),
    ...(adr.url ? { url: adr.url } : {}),
    superseded: adr.superseded,
  };
}

/**
 * Whether the text names this version of this technology: the version as a whole token within a few
 * words after the name or its first five letters ("Postgres 15" states PostgreSQL 15; "15 minutes"
 * elsewhere does not).
 */
function versionStated(name: string, version: string, haystack: string): boolean {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stem = normalise(name).split(' ')[0]?.slice(0, 5) ?? '';
  const wanted = normalise(version).replace(/^v/, '');
  if (!stem || !wanted) return false;
  return new RegExp(`${literal(stem)}[^.\\n]{0,30}?\\bv?${literal(wanted)}(?!\\w|\\.\\d)`).test(haystack);
}

/** Whitespace folded, curly quotes and dashes made plain, case ignored: how a quote may differ harmlessly. */
function normalise(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[\u2018\u2019\u201a\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Every text Claude was given in the turns (messages, text files), to check quotes against. */
export function sourceTextOf(messages: Anthropic.MessageParam[]): string {
  const parts: string[] = [];
  for (const m of messages) {
    if (typeof m.content === 'string') parts.push(m.content);
    else
      for (const block of m.content) {
        if (block.type === 'text') parts.push(block.text);
        else if (block.type === 'document' && block.source.type === 'text') parts.push(block.source.data);
      }
  }
  return parts.join('\n');
}
