import type { Review } from '../../src/consultation/review';
import { reviewAsPlainText } from '../../src/rendering/review-text';

const review: Review = {
  summary: 'Use a queue.',
  recommendedArchitecture: {
    overview: 'Monolith plus workers.',
    components: [{ name: 'API', responsibility: 'Serves requests' }],
  },
  decisions: [{ decision: 'PostgreSQL', rationale: 'Relational data.' }],
  alternatives: [],
  risks: [{ risk: 'Backlog', severity: 'high', mitigation: 'Autoscale' }],
  roadmap: [{ phase: 'Phase 1', items: ['Build API'] }],
  technologies: [{ name: 'Redis', version: '7', purpose: 'Queue' }],
  scalability: 'Fine to 1k rps.',
  security: '',
  clarifyingQuestions: [{ label: 'Load?', question: 'What is the peak load?' }],
};

describe('reviewAsPlainText', () => {
  it('contains every part of the review, unescaped, and skips empty sections', () => {
    const text = reviewAsPlainText({ ...review, summary: 'Use a queue & <b>' });
    for (const part of [
      'Use a queue & <b>',
      'Monolith plus workers.',
      '- API: Serves requests',
      'Rationale: Relational data.',
      '[high] Backlog',
      'Mitigation: Autoscale',
      '- Phase 1\n  - Build API',
      '- Redis 7: Queue',
      'Fine to 1k rps.',
      '1. Load?: What is the peak load?',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('Alternatives');
    expect(text).not.toContain('Security');
  });
});
