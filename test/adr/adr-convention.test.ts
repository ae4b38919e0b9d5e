import path from 'node:path';
import { renderAdrMarkdown } from '../../src/adr/adr-document';
import { draftAdr } from '../../src/adr/adr-draft';
import { LocalAdrFolder } from '../../src/adr/local-adr-folder';
import { groundReview } from '../../src/consultation/grounding';
import { fixtureThread, longReview } from '../fixtures/reviews';
import { ROOT } from '../helpers/architect-harness';

/**
 * "Save as ADR" writes in the folder's own convention: the next number at the folder's width, today's
 * date or the slug as the file name; the folder's template when it has one; its header otherwise.
 */

const DATE = '2026-01-05';
const collection = (layout: string) =>
  new LocalAdrFolder(path.join(ROOT, 'test/fixtures/adr-collections', layout));

async function savedIn(layout: string): Promise<{ fileName: string; markdown: string }> {
  const thread = fixtureThread('long-review');
  const review = groundReview(longReview(), thread.messages.map((m) => m.text).join('\n'));
  const draft = draftAdr(review, thread.messages[0]?.text);
  const plan = await collection(layout).planNewAdr(draft.title, DATE);
  const markdown = renderAdrMarkdown({
    decision: { ...draft, title: 'Publish payment events through the outbox', status: 'accepted' },
    review,
    agentName: 'backend-architect',
    date: DATE,
    links: { thread: 'https://acme.slack.com/archives/C0DESIGN/p1767603600000100' },
    convention: plan.convention,
    number: plan.number,
  });
  return { fileName: plan.fileName, markdown };
}

/** No template word is left for a person to find in the saved file. */
function expectNoPlaceholders(markdown: string): void {
  for (const word of [
    'NUMBER',
    'TITLE',
    'STATUS',
    'DATE',
    'YYYY-MM-DD',
    '<!--',
    'short title',
    '[list ',
    '{list ',
    'Describe the context',
    'option 1',
    'decision driver 1',
    'ADR-NNN',
    'Proposed |',
  ]) {
    expect([word, markdown.includes(word)]).toEqual([word, false]);
  }
}

const SLUG = /[a-z0-9-]+\.md$/;

it('adr-tools: the next number, `# N. Title`, Date line and Status section from templates/template.md', async () => {
  const { fileName, markdown } = await savedIn('adr-tools');
  expect(fileName).toMatch(/^0007-[a-z0-9-]+\.md$/);
  expect(
    markdown.startsWith(
      '# 7. Publish payment events through the outbox\n\nDate: 2026-01-05\n\n## Status\n\nAccepted\n\n## Context\n\n',
    ),
  ).toBe(true);
  expect(markdown).toMatch(/## Decision\n\nThe|## Decision\n\n[^C]/);
  expect(markdown).toContain('## Consequences\n\n* ');
  // What the template has no place for is kept, last.
  expect(markdown).toContain(
    '## More Information\n\n* Slack thread: https://acme.slack.com/archives/C0DESIGN/p1767603600000100',
  );
  expectNoPlaceholders(markdown);
});

it('MADR 2: `* Status:` and `* Date:` bullets from adr-template.md, its placeholder lines left out', async () => {
  const { fileName, markdown } = await savedIn('madr-2');
  expect(fileName).toMatch(/^0006-/);
  expect(markdown).toMatch(
    /^# Publish payment events through the outbox\n\n\* Status: accepted\n\* Date: 2026-01-05\n\n## Context and Problem Statement\n/,
  );
  expect(markdown).toContain(
    '## Decision Outcome\n\nChosen option: "Publish payment events through the outbox".',
  );
  expectNoPlaceholders(markdown);
});

it('MADR 3 and 4: front matter status and date, the template’s sections filled', async () => {
  for (const layout of ['madr-3', 'madr-4']) {
    const { fileName, markdown } = await savedIn(layout);
    expect(fileName).toMatch(/^0005-/);
    expect(markdown).toMatch(
      /^---\nstatus: "accepted"\ndate: 2026-01-05\n---\n\n?# Publish payment events through the outbox\n/,
    );
    expectNoPlaceholders(markdown);
  }
  const { markdown } = await savedIn('madr-4');
  expect(markdown).toContain('### Consequences\n\n* ');
  expect(markdown).toContain('## Decision Drivers\n\n* ');
});

it('log4brains: today’s date as YYYYMMDD, `- Status:` bullets from docs/adr/template.md', async () => {
  const { fileName, markdown } = await savedIn('log4brains');
  expect(fileName).toMatch(/^20260105-/);
  expect(fileName).toMatch(SLUG);
  expect(markdown).toMatch(
    /^# Publish payment events through the outbox\n\n- Status: accepted\n- Date: 2026-01-05\n/,
  );
  expectNoPlaceholders(markdown);
});

it('date-prefixed, no template: today’s date, and the Status section most of its ADRs use', async () => {
  const { fileName, markdown } = await savedIn('date-prefixed');
  expect(fileName).toMatch(/^2026-01-05-[a-z0-9-]+\.md$/);
  expect(markdown).toMatch(
    /^# Publish payment events through the outbox\n\nDate: 2026-01-05\n\n## Status\n\nAccepted\n\n## Context and Problem Statement/,
  );
});

it('adr-NNN: the prefix and the width kept, `# ADR-NNN: Title` and capitalised status from the template', async () => {
  const { fileName, markdown } = await savedIn('prefixed');
  expect(fileName).toMatch(/^adr-006-[a-z0-9-]+\.md$/);
  expect(markdown).toMatch(
    /^# ADR-006: Publish payment events through the outbox\n\nStatus: Accepted\nDate: 2026-01-05\n/,
  );
  expectNoPlaceholders(markdown);
});

it('an empty folder gets MADR with front matter, numbered 0001', async () => {
  const plan = await collection('nowhere').planNewAdr('Use an event bus', DATE);
  expect(plan).toMatchObject({ fileName: '0001-use-an-event-bus.md', number: 1 });
  expect(plan.convention).toMatchObject({ header: 'front-matter', template: undefined });
});
