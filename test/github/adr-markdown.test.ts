import { parseAdrFileName, parseAdrMarkdown, slugify } from '../../src/github/adr-markdown';

test('ADR file names give number and slug; other files in the folder are not ADRs', () => {
  expect(parseAdrFileName('0007-use-transactional-outbox.md')).toEqual({
    number: 7,
    slug: 'use-transactional-outbox',
  });
  expect(parseAdrFileName('README.md')).toBeUndefined();
  expect(parseAdrFileName('adr-template.md')).toBeUndefined();
  expect(parseAdrFileName('0007-draft.txt')).toBeUndefined();
});

test('adr-tools: the number is dropped from the title and status is the first line of ## Status', () => {
  const adr =
    '# 7. Use a transactional outbox\r\n\r\nDate: 2025-06-01\r\n\r\n## Status\r\n\r\nSuperseded by [9. Use CDC](0009-use-cdc.md)\r\n';
  expect(parseAdrMarkdown(adr)).toEqual({
    title: 'Use a transactional outbox',
    status: 'Superseded by [9. Use CDC](0009-use-cdc.md)',
    date: '2025-06-01',
  });
});

test('MADR front matter wins, and a broken front matter block only loses its own fields', () => {
  expect(parseAdrMarkdown('---\nstatus: "proposed"\ndate: 2025-06-01\n---\n\n# Pick a queue\n')).toEqual({
    title: 'Pick a queue',
    status: 'proposed',
    date: '2025-06-01',
  });
  expect(parseAdrMarkdown('---\nstatus: [unclosed\n---\n# Pick a queue\n\n* Status: accepted\n')).toEqual({
    title: 'Pick a queue',
    status: 'accepted',
    date: undefined,
  });
});

test('a file without heading or status leaves them undefined', () => {
  expect(parseAdrMarkdown('Just some notes.\n## Not a title\n')).toEqual({
    title: undefined,
    status: undefined,
    date: undefined,
  });
});

test('slugs are lower-case words joined by hyphens', () => {
  expect(slugify('  Use an Event Bus! (Kafka vs. NATS)  ')).toBe('use-an-event-bus-kafka-vs-nats');
  expect(slugify('Café für Ünïcode')).toBe('cafe-fur-unicode');
  expect(slugify('!!!')).toBe('');
});
