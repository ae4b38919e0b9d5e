import { markdownToMrkdwn, neutraliseMarkdown } from '../../src/rendering/slack-text';

describe('links Claude writes, as Slack shows them', () => {
  it('shows the real target when the label is an address that is not it', () => {
    expect(markdownToMrkdwn('See [https://github.com/acme/api/pull/12](https://evil.example/login).')).toBe(
      'See <https://evil.example/login>.',
    );
    expect(markdownToMrkdwn('[github.com/acme/api](https://github.com/evil/api)')).toBe(
      '<https://github.com/evil/api>',
    );
  });

  it('shows the real target when the label names another host', () => {
    expect(markdownToMrkdwn('[the PR on github.com](https://evil.example/pr)')).toBe(
      '<https://evil.example/pr>',
    );
  });

  it('keeps a plain label, and one naming the target’s own host', () => {
    expect(
      markdownToMrkdwn('[ADR-0007: Exports read the replica](https://github.com/acme/adr/0007.md)'),
    ).toBe('<https://github.com/acme/adr/0007.md|ADR-0007: Exports read the replica>');
    expect(markdownToMrkdwn('[docs on acme.io](https://docs.acme.io/x)')).toBe(
      '<https://docs.acme.io/x|docs on acme.io>',
    );
  });

  it('streams a misleading link as its real target (Slack renders the Markdown itself)', () => {
    expect(neutraliseMarkdown('See [https://github.com/acme/api/pull/12](https://evil.example/login).')).toBe(
      'See https://evil.example/login.',
    );
    expect(neutraliseMarkdown('[the outbox ADR](https://github.com/acme/adr/3)')).toBe(
      '[the outbox ADR](https://github.com/acme/adr/3)',
    );
  });
});
