import { groundReview } from '../../src/consultation/grounding';
import type { GroundedReview } from '../../src/domain/review';
import { mergeReviewDelta } from '../../src/domain/review-delta';
import type { ReplyMeta } from '../../src/rendering/reply-meta';
import { renderReply } from '../../src/rendering/review-message';
import { fixtureThread, paymentsFollowUp, paymentsReview } from '../fixtures/reviews';

const thread = fixtureThread('payments-review')
  .messages.map((m) => m.text)
  .join('\n');

/** The payments review as the bot stored it, and the follow-up Claude wrote as only what changed. */
function refined(): { before: GroundedReview; after: GroundedReview } {
  const before = groundReview(paymentsReview(), thread);
  const after = mergeReviewDelta(before, paymentsFollowUp(), (parts) =>
    groundReview({ ...paymentsReview(), ...parts }, thread),
  );
  return { before, after };
}

describe('a follow-up written as only what changed (issue 24, item 4)', () => {
  it('builds the whole refined review: resolved findings leave, the unmentioned stand, changed ones are replaced', () => {
    const { before, after } = refined();
    const titles = after.findings.map((f) => f.title);
    expect(titles).not.toContain(before.findings[0]?.title);
    expect(titles).not.toContain(before.findings[9]?.title);
    // Three blockers Claude did not mention are still there, and counted.
    for (const i of [1, 2]) expect(titles).toContain(before.findings[i]?.title);
    expect(after.findings.filter((f) => f.severity === 'blocker').map((f) => f.title)).toEqual([
      before.findings[1]?.title,
      before.findings[2]?.title,
      'Re-homing a merchant has no write fence',
    ]);
    // F4 is rewritten in place as a major.
    expect(after.findings[2]).toMatchObject({
      title: 'Fraud scoring fails open at 150 ms',
      severity: 'major',
    });
    expect(after.findings).toHaveLength(before.findings.length - 2 + 1);
    // Everything Claude did not rewrite is kept whole.
    expect(after.recommendedArchitecture).toEqual(before.recommendedArchitecture);
    expect(after.roadmap).toEqual(before.roadmap);
    expect(after.verdict).toBe('sound_with_changes');
    expect(after.clarifyingQuestions).toHaveLength(1);
  });

  it('works out what changed from the ids, and grounds the new finding about what is missing', () => {
    const { before, after } = refined();
    expect(after.whatChanged).toEqual({
      summary: expect.stringContaining('home-region key'),
      resolved: [before.findings[0]?.title, before.findings[9]?.title],
      stillOpen: after.findings.slice(0, -1).map((f) => f.title),
      new: ['Re-homing a merchant has no write fence'],
    });
    expect(after.findings.at(-1)).toMatchObject({ verified: false, aboutAbsence: true });
    // A finding carried over keeps the grounding it had.
    expect(after.findings[0]).toEqual(before.findings[1]);
  });

  it('never loses a "changed" finding whose id names no earlier finding: it counts as new', () => {
    const before = groundReview(paymentsReview(), thread);
    const delta = paymentsFollowUp();
    const [change] = delta.changed;
    if (!change) throw new Error('the fixture changes one finding');
    const after = mergeReviewDelta(before, { ...delta, changed: [{ ...change, id: 'F99' }] }, (parts) =>
      groundReview({ ...paymentsReview(), ...parts }, thread),
    );
    expect(after.whatChanged?.new).toContain('Fraud scoring fails open at 150 ms');
  });

  it('shows in the thread what changed: resolved by name, still open and new counted', () => {
    const meta: ReplyMeta = {
      requestId: 'req-fu',
      agentName: 'backend-architect',
      model: 'claude-sonnet-5-5',
      durationMs: 20_000,
      asOf: '2026-12-06',
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
    };
    const { before, after } = refined();
    const text = JSON.stringify(renderReply(after, meta).blocks);
    expect(text).toContain('*What changed:* Dana');
    expect(text).toContain(
      ':white_check_mark: *Resolved:* Last-writer-wins loses ledger increments across regions · No failure testing',
    );
    expect(before.findings[0]?.title).toMatch(/^\*\*Last-writer-wins\*\*/);
    expect(text).toContain(`*Still open:* ${before.findings.length - 2} · *New:* 1`);
  });
});
