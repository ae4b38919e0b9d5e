import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderAdrMarkdown } from '../../src/adr/adr-document';
import { draftAdr } from '../../src/adr/adr-draft';
import { groundReview } from '../../src/consultation/grounding';
import { fixtureThread, longReview } from '../fixtures/reviews';
import { ROOT } from '../helpers/architect-harness';

const EXAMPLE = path.join(ROOT, 'docs/example-adr.md');

/**
 * The ADR README shows, made from the long fixture review exactly as "Save as ADR" makes it with the
 * form left as prefilled (status accepted), so the example can never drift from what the bot writes.
 * `UPDATE_EXAMPLE_ADR=1 npx jest test/adr/example-adr.test.ts` rewrites it after a deliberate change.
 */
test('docs/example-adr.md is what Save as ADR writes for the long fixture review', () => {
  const thread = fixtureThread('long-review');
  const review = groundReview(longReview(), thread.messages.map((m) => m.text).join('\n'));
  const draft = draftAdr(review, thread.messages[0]?.text);
  const markdown = renderAdrMarkdown({
    decision: { ...draft, status: 'accepted' },
    review,
    agentName: 'backend-architect',
    date: '2026-01-05',
    links: {
      thread: 'https://acme.slack.com/archives/C0DESIGN/p1767603600000100',
      review:
        'https://acme.slack.com/archives/C0DESIGN/p1767604200000200?thread_ts=1767603600.000100&cid=C0DESIGN',
    },
  });
  if (process.env.UPDATE_EXAMPLE_ADR === '1') writeFileSync(EXAMPLE, markdown);
  expect(readFileSync(EXAMPLE, 'utf8')).toBe(markdown);
});
