import { assembleCollection, type ReadFile } from '../../src/domain/adr-collection';
import { slugify } from '../../src/domain/adr-convention';
import { parseAdrFileName, readAdrFile, stateOf } from '../../src/domain/adr-file';
import { findCitedAdr } from '../../src/domain/known-adr';

/** The ADR read from `text`, or the test fails with the skip reason. */
function adrOf(file: string, text: string) {
  const reading = readAdrFile(file, text);
  if (reading.kind !== 'adr') throw new Error(`${file} skipped: ${reading.reason}`);
  return reading.adr;
}

describe('ADR file names', () => {
  it('reads numbers, dates and prefixes in the layouts teams use', () => {
    expect(parseAdrFileName('0007-use-transactional-outbox.md')).toMatchObject({
      naming: 'numbered',
      number: 7,
      width: 4,
      prefix: '',
      slug: 'use-transactional-outbox',
    });
    expect(parseAdrFileName('adr-012-use-adrs.md')).toMatchObject({
      naming: 'numbered',
      number: 12,
      width: 3,
      prefix: 'adr-',
    });
    expect(parseAdrFileName('ADR-5-bff.md')).toMatchObject({
      naming: 'numbered',
      number: 5,
      width: 1,
      prefix: 'ADR-',
    });
    expect(parseAdrFileName('2024-09-25-signing-configuration.md')).toMatchObject({
      naming: 'date',
      date: '2024-09-25',
      stem: '2024-09-25-signing-configuration',
    });
    expect(parseAdrFileName('20201016-use-the-adr-slug.md')).toMatchObject({
      naming: 'compact-date',
      date: '2020-10-16',
    });
    expect(parseAdrFileName('use-postgres.md')).toMatchObject({ naming: 'slug', stem: 'use-postgres' });
  });

  it('leaves out what sits beside ADRs: READMEs, indexes, templates, other files', () => {
    for (const name of [
      'README.md',
      'index.md',
      'template.md',
      'adr-template.md',
      '0000-template.md',
      'logo.png',
      '0007-draft.txt',
    ]) {
      expect([name, parseAdrFileName(name)]).toEqual([name, undefined]);
    }
  });
});

describe('one ADR file', () => {
  it('adr-tools: the number leaves the title, the Status section is read whole, links both ways', () => {
    const adr = adrOf(
      '0005-outbox.md',
      '# 5. Use an outbox\r\n\r\nDate: 2025-06-01\r\n\r\n## Status\r\n\r\nAccepted\r\n\r\nSupersedes [2. Publish from handlers](0002-publish.md)\r\n\r\n## Context\r\n',
    );
    expect(adr).toMatchObject({
      title: 'Use an outbox',
      status: 'Accepted; Supersedes [2. Publish from handlers](0002-publish.md)',
      state: 'accepted',
      date: '2025-06-01',
      supersedes: ['0002-publish.md'],
      supersededBy: [],
      header: 'status-section',
      numberedTitle: true,
    });
  });

  it('MADR 2 and log4brains bullets, MADR 3/4 front matter with decision-makers', () => {
    expect(
      adrOf(
        '0002-x.md',
        '# Sessions in Redis\n\n* Status: superseded by [ADR-0004](0004-tokens.md)\n* Date: 2022-03-02\n',
      ),
    ).toMatchObject({
      state: 'superseded',
      supersededBy: ['0004-tokens.md'],
      date: '2022-03-02',
      header: 'status-bullet',
    });
    expect(
      adrOf(
        '20200925-number.md',
        '# Number the ADRs\n\n- Status: superseded by [20201016-slug](20201016-slug.md)\n- Date: 2020-09-25\n',
      ),
    ).toMatchObject({ state: 'superseded', supersededBy: ['20201016-slug.md'], date: '2020-09-25' });
    expect(
      adrOf(
        '0003-grpc.md',
        '---\nstatus: accepted; supersedes ADR-0002\ndate: 2023-11-21\ndecision-makers: [Ana, Chen]\n---\n# gRPC\n',
      ),
    ).toMatchObject({
      state: 'accepted',
      supersedes: ['ADR-0002'],
      supersededBy: [],
      date: '2023-11-21',
      header: 'front-matter',
    });
  });

  it('a missing title comes from the file name; a missing status is unknown, not an error', () => {
    expect(
      adrOf('2024-12-05-deploy-windows.md', 'Date: 2024-12-05\n\n## Decision\n\nNo Friday deploys.\n'),
    ).toMatchObject({
      title: 'deploy windows',
      titled: false,
      status: undefined,
      state: 'unknown',
      date: '2024-12-05',
    });
  });

  it('a broken front matter block loses its own fields, not the ADR', () => {
    expect(
      adrOf('0004-x.md', '---\nstatus: [unclosed\n---\n# Pick a queue\n\n* Status: accepted\n'),
    ).toMatchObject({
      title: 'Pick a queue',
      status: 'accepted',
    });
  });

  it('skips what cannot be an ADR, saying why', () => {
    expect(readAdrFile('0002-empty.md', ' \n')).toEqual({
      kind: 'skipped',
      path: '0002-empty.md',
      reason: 'the file is empty',
      looksLikeAdr: true,
    });
    expect(readAdrFile('0003-bin.md', 'PK\u0000\u0003')).toMatchObject({
      kind: 'skipped',
      reason: 'not UTF-8 text',
      looksLikeAdr: true,
    });
    expect(readAdrFile('README.md', '# Decisions')).toMatchObject({ kind: 'skipped', looksLikeAdr: false });
    expect(readAdrFile('glossary.md', '# Glossary\n\nWords.\n')).toMatchObject({
      kind: 'skipped',
      looksLikeAdr: false,
    });
  });

  it('states: the first word decides, and only "superseded" means superseded', () => {
    expect(stateOf('accepted; supersedes ADR-0045')).toBe('accepted');
    expect(stateOf('Supersedes ADR-0045')).toBe('unknown');
    expect(stateOf('Superseded by ADR-0046')).toBe('superseded');
    expect(stateOf('draft')).toBe('proposed');
    expect(stateOf('Rejected')).toBe('rejected');
    expect(stateOf('deprecated')).toBe('deprecated');
    expect(stateOf(undefined)).toBe('unknown');
  });
});

describe('a collection', () => {
  const file = (relativePath: string, text: string): ReadFile => ({
    relativePath,
    path: `/adrs/${relativePath}`,
    reading: readAdrFile(relativePath, text),
  });

  it('gives dated files sharing a day distinct ids (the MiniSearch "duplicate ID 2024" failure)', () => {
    const { adrs, skipped } = assembleCollection([
      file('2024-09-25-signing-configuration.md', '# Signing\n\n## Status\n\nAccepted\n'),
      file('2024-09-25-build-cache.md', '# Build cache\n\n## Status\n\nAccepted\n'),
    ]);
    expect(adrs.map((a) => a.id)).toEqual(['2024-09-25-build-cache', '2024-09-25-signing-configuration']);
    expect(skipped).toEqual([]);
  });

  it('settles supersession both ways, by link, file name or number; only the superseded one stops holding', () => {
    const { adrs } = assembleCollection([
      file('0045-rest.md', '# REST\n\n## Status\n\nAccepted\n'),
      file('0046-grpc.md', '---\nstatus: accepted; supersedes ADR-0045\n---\n# gRPC\n'),
      file('0047-a.md', '# A\n\n* Status: superseded by [B](0048-b.md)\n'),
      file('0048-b.md', '# B\n\n* Status: accepted\n'),
      file('0049-c.md', '# C\n\n* Status: proposed; supersedes 0048-b.md\n'),
    ]);
    const byId = new Map(adrs.map((a) => [a.id, a]));
    expect(byId.get('ADR-0045')).toMatchObject({
      superseded: true,
      supersededBy: ['ADR-0046'],
      state: 'accepted',
    });
    expect(byId.get('ADR-0046')).toMatchObject({ superseded: false, supersedes: ['ADR-0045'] });
    expect(byId.get('ADR-0047')).toMatchObject({ superseded: true, supersededBy: ['ADR-0048'] });
    expect(byId.get('ADR-0048')).toMatchObject({ superseded: false, supersedes: ['ADR-0047'] });
    // A proposal that would supersede B leaves B in force until it is accepted.
    expect(byId.get('ADR-0048')?.supersededBy).toEqual([]);
  });

  it('keeps two files holding one number, and skips a file whose id is taken, naming the holder', () => {
    const { adrs, skipped } = assembleCollection([
      file('0006-a.md', '# A\n'),
      file('0006-b.md', '# B\n'),
      file('0006-b.markdown', '# B again\n'),
    ]);
    expect(adrs.map((a) => [a.id, a.title])).toEqual([
      ['ADR-0006', 'A'],
      ['0006-b', 'B again'],
    ]);
    expect(skipped).toEqual([
      {
        path: '/adrs/0006-b.md',
        reason: 'duplicate: 0006-b is already /adrs/0006-b.markdown',
        looksLikeAdr: true,
      },
    ]);
  });

  it('names ADRs of packages by their package', () => {
    const { adrs } = assembleCollection([
      file('docs/adr/20200924-use-log4brains.md', '# L\n\n- Status: accepted\n'),
      file('packages/billing/adr/20210301-use-stripe.md', '# S\n\n- Status: accepted\n'),
    ]);
    expect(adrs.map((a) => a.id)).toEqual(['20200924-use-log4brains', 'billing/20210301-use-stripe']);
  });
});

describe('a finding’s citation', () => {
  const known = [
    { id: 'ADR-0007' },
    { id: '2024-09-25-signing-configuration' },
    { id: 'billing/20210301-use-stripe' },
  ];
  it('finds the ADR however Claude spelled its id', () => {
    expect(findCitedAdr('ADR-7', known)?.id).toBe('ADR-0007');
    expect(findCitedAdr('adr 0007', known)?.id).toBe('ADR-0007');
    expect(findCitedAdr('2024-09-25-signing-configuration.md', known)?.id).toBe(
      '2024-09-25-signing-configuration',
    );
    expect(findCitedAdr('ADR 2024-09-25-Signing-Configuration', known)?.id).toBe(
      '2024-09-25-signing-configuration',
    );
    expect(findCitedAdr('20210301-use-stripe', known)?.id).toBe('billing/20210301-use-stripe');
    expect(findCitedAdr('ADR-0042', known)).toBeUndefined();
    expect(findCitedAdr('2024', known)).toBeUndefined();
  });
});

test('slugs are lower-case words joined by hyphens', () => {
  expect(slugify('  Use an Event Bus! (Kafka vs. NATS)  ')).toBe('use-an-event-bus-kafka-vs-nats');
  expect(slugify('Café für Ünïcode')).toBe('cafe-fur-unicode');
  expect(slugify('!!!')).toBe('');
});
