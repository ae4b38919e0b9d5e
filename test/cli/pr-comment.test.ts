import { buildPullRequestComment, safeForGitHub } from '../../src/cli/pr-comment';
import { matchingPaths, parsePatterns } from '../../src/cli/pr-files';
import type { ConsultedReview } from '../../src/consultation/consult-review';
import { groundReview } from '../../src/consultation/grounding';
import { COMMENT_LIMIT } from '../../src/github/pull-request-comment';
import { fixtureThread, longReview } from '../fixtures/reviews';

describe('which changed files are reviewed', () => {
  const changed = [
    'docs/adr/0007-event-bus.md',
    'docs/adr/drafts/0008-sagas.md',
    'docs/design/payments/overview.pdf',
    'orders.design.md',
    'services/billing/invoices.design.md',
    'docs/guide.md',
    'src/app.ts',
  ];

  it('by default: ADRs, design docs at any depth under their folders, and *.design.md in any folder', () => {
    expect(matchingPaths(changed, parsePatterns(undefined))).toEqual([
      'docs/adr/0007-event-bus.md',
      'docs/adr/drafts/0008-sagas.md',
      'docs/design/payments/overview.pdf',
      'orders.design.md',
      'services/billing/invoices.design.md',
    ]);
  });

  it('patterns one a line or comma-separated, and ! to leave some out', () => {
    expect(matchingPaths(changed, parsePatterns('docs/adr/**\n!docs/adr/drafts/**\n'))).toEqual([
      'docs/adr/0007-event-bus.md',
    ]);
    expect(matchingPaths(changed, parsePatterns(' docs/**/*.pdf , src/*.ts'))).toEqual([
      'docs/design/payments/overview.pdf',
      'src/app.ts',
    ]);
  });
});

describe('the pull request comment', () => {
  const result = (): ConsultedReview => ({
    review: groundReview(
      longReview(),
      fixtureThread('long-review')
        .messages.map((m) => m.text)
        .join('\n'),
    ),
    model: 'claude-sonnet-5-5',
    usage: { inputTokens: 9000, outputTokens: 2000, cacheReadTokens: 0, cacheWriteTokens: 0 },
    claudeMs: 30_000,
    asOf: '2026-11-29',
    notes: [],
  });

  it('neither hides the rest of the comment behind HTML nor notifies people the design mentions', () => {
    expect(
      safeForGitHub('Ask @payments-team <!-- or --> <details>, see `a<b @x` and\n```\n<raw @y>\n```'),
    ).toBe('Ask @\u2060payments-team &lt;!-- or --> &lt;details>, see `a<b @x` and\n```\n<raw @y>\n```');
    expect(safeForGitHub('mail me at ops@example.com')).toBe('mail me at ops@example.com');
  });

  it('an unmatched backtick or a fence closed by the wrong marker does not open a way around the escaping', () => {
    expect(safeForGitHub('``<!-- hidden` @ops-team')).toBe('``&lt;!-- hidden` @\u2060ops-team');
    expect(safeForGitHub('````\ncode\n```\n<!-- still code -->\n````\n<!-- text --> @sec')).toBe(
      '````\ncode\n```\n<!-- still code -->\n````\n&lt;!-- text --> @\u2060sec',
    );
    expect(safeForGitHub('~~~\n```\n~~~\n<img src=x> @all')).toBe('~~~\n```\n~~~\n&lt;img src=x> @\u2060all');
  });

  it('a file name with a newline stays on its heading line', () => {
    const body = buildPullRequestComment({
      outcomes: [{ path: 'docs/design/x.design.md\n<!--', error: 'Claude is overloaded' }],
      patterns: ['docs/design/**'],
      agentName: 'backend-architect',
      notReviewed: ['docs/design/y.design.md\n@everyone'],
      maxFiles: 1,
    });
    expect(body).toContain('### `docs/design/x.design.md\\u000a<!--`\n');
    expect(body).toContain('`docs/design/y.design.md\\u000a@everyone`._');
    expect(body.split('\n').filter((l) => l.startsWith('<!--') || l.startsWith('@'))).toEqual([]);
  });

  it('keeps every file’s verdict when the full reviews would not fit in one comment', () => {
    const outcomes = Array.from({ length: 8 }, (_, i) => ({
      path: `docs/adr/000${i}.md`,
      agentName: 'backend-architect',
      result: result(),
    }));
    const body = buildPullRequestComment({
      outcomes,
      patterns: ['docs/adr/**'],
      agentName: 'backend-architect',
      notReviewed: [],
      maxFiles: 10,
    });
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body).not.toContain('<details>');
    expect(body.match(/\*\*🟡 Sound with changes\*\*/g)).toHaveLength(8);
    expect(body).toContain(
      '_The full review did not fit in this comment: `architect review docs/adr/0000.md` prints it._',
    );
  });

  it('folds each full review under its verdict when they fit', () => {
    const body = buildPullRequestComment({
      outcomes: [{ path: 'docs/adr/0001.md', agentName: 'backend-architect', result: result() }],
      patterns: ['docs/adr/**'],
      agentName: 'backend-architect',
      notReviewed: [],
      maxFiles: 10,
    });
    const verdict = body.indexOf('**🟡 Sound with changes**');
    const details = body.indexOf('<details>\n<summary>Full review</summary>\n\n#### What changed');
    expect(verdict).toBeGreaterThan(0);
    expect(details).toBeGreaterThan(verdict);
    expect(body.trimEnd().endsWith('</details>')).toBe(true);
    // The long review's hostile Slack mentions stay visible text, not HTML GitHub would drop.
    expect(body).toContain('&lt;!channel>');
  });
});
