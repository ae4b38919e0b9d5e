import { type HomeReview, renderHomeView } from '../../src/rendering/home-view';
import { viewViolations } from '../fakes/block-kit-rules';

const longText = (n: number) => 'Design <!channel> & more '.repeat(Math.ceil(n / 25)).slice(0, n);

describe('renderHomeView', () => {
  it('stays within Slack’s Home view limits with many long agents and reviews, escaping their text', () => {
    const agents = Array.from({ length: 45 }, (_, i) => ({
      name: `agent-${i}`,
      model: 'claude-sonnet-5-5',
      description: longText(5000),
    }));
    const reviews: HomeReview[] = Array.from({ length: 30 }, (_, i) => ({
      agentName: 'agent-1',
      summary: longText(4000),
      channelId: 'C0DESIGN',
      createdAt: Date.UTC(2026, 0, 1) + i * 1000,
      ...(i % 2 === 0 ? { permalink: `https://acme.slack.com/archives/C0DESIGN/p${i}` } : {}),
    }));
    const view = renderHomeView({
      agents,
      defaultAgent: 'agent-0',
      reviewReaction: 'building_construction',
      reviews,
    });
    expect(view.type).toBe('home');
    expect(viewViolations(view)).toEqual([]);
    const shown = JSON.stringify(view.blocks);
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('15 more');
    expect(shown).toContain('<https://acme.slack.com/archives/C0DESIGN/p0|');
    expect(shown).toContain('thread unavailable');
  });

  it('says so when no agents are loaded and the user has no reviews', () => {
    const view = renderHomeView({ agents: [], defaultAgent: 'x', reviewReaction: 'eyes', reviews: [] });
    expect(viewViolations(view)).toEqual([]);
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('No agents are loaded');
    expect(shown).toContain('You have no reviews yet');
    expect(shown).toContain(':eyes:');
  });

  it('shows a review’s title without Claude’s Markdown markers, which a link label would show raw', () => {
    const view = renderHomeView({
      agents: [],
      defaultAgent: 'backend-architect',
      reviewReaction: 'building_construction',
      reviews: [
        {
          agentName: 'backend-architect',
          summary: 'Split **order-service** out, keep `payments` on the primary',
          channelId: 'C0DESIGN',
          createdAt: Date.UTC(2026, 10, 29),
          permalink: 'https://acme.slack.com/archives/C0DESIGN/p1',
        },
      ],
    });
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('|Split order-service out, keep payments on the primary>');
  });
});
