import type { SlackMessage } from '../../src/rendering/slack-message';
import { renderFailure, renderPlaceholder, renderRequestRoot } from '../../src/rendering/status-messages';
import { blockKitViolations } from '../fakes/block-kit-rules';

const sectionText = (m: SlackMessage): string => {
  const first = m.blocks[0];
  return first?.type === 'section' ? (first.text?.text ?? '') : '';
};

function expectValid(m: SlackMessage): void {
  expect(blockKitViolations(m.blocks)).toEqual([]);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThan(4000);
}

describe('renderPlaceholder', () => {
  it('says which agent is reviewing', () => {
    const m = renderPlaceholder('backend-architect');
    expectValid(m);
    expect(sectionText(m)).toBe(':hourglass_flowing_sand: *backend-architect* is reviewing…');
    expect(m.text).toContain('backend-architect is reviewing…');
  });

  it('escapes the agent name and survives a huge one', () => {
    expect(renderPlaceholder('<!channel>').text).not.toContain('<!');
    expectValid(renderPlaceholder('a'.repeat(10_000)));
  });
});

describe('renderFailure', () => {
  it('shows the reason and a Retry button carrying the retry value', () => {
    const m = renderFailure({
      agentName: 'backend-architect',
      reason: 'Claude is overloaded.',
      retryValue: 'job-1',
    });
    expectValid(m);
    expect(sectionText(m)).toContain(':warning:');
    expect(sectionText(m)).toContain('Claude is overloaded.');
    expect(m.text).toContain('Claude is overloaded.');
    const actions = m.blocks[1];
    expect(actions?.type).toBe('actions');
    if (actions?.type !== 'actions') return;
    expect(actions.elements).toEqual([
      expect.objectContaining({
        type: 'button',
        action_id: 'retry_consultation',
        value: 'job-1',
        text: expect.objectContaining({ text: 'Retry' }),
      }),
    ]);
  });

  it('has no button without a retry value, or with one Slack would refuse', () => {
    for (const retryValue of [undefined, 'x'.repeat(2001)]) {
      const m = renderFailure({ agentName: 'a', reason: 'Timed out.', retryValue });
      expectValid(m);
      expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    }
  });

  it('escapes the reason and keeps a huge one within limits', () => {
    const m = renderFailure({ agentName: 'a', reason: '<!channel> <https://evil|x> & more' });
    expect(sectionText(m)).toContain('&lt;!channel&gt; &lt;https://evil|x&gt; &amp; more');
    expect(m.text).not.toContain('<!');
    expectValid(renderFailure({ agentName: 'a'.repeat(5000), reason: 'b'.repeat(50_000) }));
  });
});

describe('renderRequestRoot', () => {
  it('mentions the user and quotes the request', () => {
    const m = renderRequestRoot({
      userId: 'U123',
      text: 'Review our queue design\nfor the billing service',
      agentName: 'backend-architect',
    });
    expectValid(m);
    expect(sectionText(m)).toBe(
      '<@U123> asked *backend-architect* for a review:\n>Review our queue design\n>for the billing service',
    );
    expect(m.text).toBe(
      '<@U123> asked backend-architect for a review: Review our queue design for the billing service',
    );
  });

  it('quotes at most five lines and 600 chars, with an ellipsis when cut', () => {
    const manyLines = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const quoted = sectionText(renderRequestRoot({ userId: 'U1', text: manyLines, agentName: 'a' }));
    expect(quoted).toContain('>line 4…');
    expect(quoted).not.toContain('line 5');

    const long = renderRequestRoot({ userId: 'U1', text: 'word '.repeat(1000), agentName: 'a' });
    expectValid(long);
    expect(sectionText(long).length).toBeLessThan(700);
    expect(sectionText(long).endsWith('…')).toBe(true);
  });

  it('handles an empty request', () => {
    const m = renderRequestRoot({ userId: 'U1', text: '   ', agentName: 'a' });
    expectValid(m);
    expect(sectionText(m)).toBe('<@U1> asked *a* for a review.');
  });

  it('escapes the request text and never turns a bogus user id into markup', () => {
    const m = renderRequestRoot({ userId: 'U1>|<!channel', text: '<!channel> please', agentName: '<!here>' });
    expectValid(m);
    expect(sectionText(m)).not.toContain('<!');
    expect(m.text).not.toContain('<!');
    expect(sectionText(m)).toContain('&lt;!channel&gt; please');
  });
});
