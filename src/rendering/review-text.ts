import type { Review } from '../consultation/review';

/**
 * The review as plain Markdown-like text, used as the assistant turn when a thread's earlier review is
 * fed back to Claude. Not escaped: it goes to the model, never to Slack.
 */
export function reviewAsPlainText(review: Review): string {
  const section = (title: string, lines: string[]): string[] => {
    const body = lines.filter((line) => line.trim().length > 0);
    return body.length === 0 ? [] : [`## ${title}`, ...body, ''];
  };
  const arch = review.recommendedArchitecture;
  return [
    '## Summary',
    review.summary,
    '',
    ...section('Recommended architecture', [
      arch.overview,
      ...arch.components.map((c) => `- ${c.name}: ${c.responsibility}`),
    ]),
    ...section(
      'Key decisions',
      review.decisions.map((d) => `- ${d.decision}\n  Rationale: ${d.rationale}`),
    ),
    ...section(
      'Alternatives & trade-offs',
      review.alternatives.map((a) => `- ${a.option}: ${a.tradeoffs}`),
    ),
    ...section(
      'Risks',
      review.risks.map((r) => `- [${r.severity}] ${r.risk}\n  Mitigation: ${r.mitigation}`),
    ),
    ...section(
      'Roadmap',
      review.roadmap.map((p) => [`- ${p.phase}`, ...p.items.map((item) => `  - ${item}`)].join('\n')),
    ),
    ...section(
      'Technology recommendations',
      review.technologies.map((t) => `- ${t.name}${t.version ? ` ${t.version}` : ''}: ${t.purpose}`),
    ),
    ...section('Scalability & performance', [review.scalability]),
    ...section('Security & compliance', [review.security]),
    ...section(
      'Clarifying questions',
      review.clarifyingQuestions.map((q, i) => `${i + 1}. ${q.label}: ${q.question}`),
    ),
  ]
    .join('\n')
    .trim();
}
