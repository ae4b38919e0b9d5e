import type { Review } from '../../src/consultation/review';
import { renderReview } from '../../src/rendering/review-message';

/**
 * The blocks the renderer makes for `review`, with the request id and the other agents read from the
 * buttons of a delivered message, all but the closing context line (its time taken and tokens differ
 * from run to run): what `delivered` must equal, bar that line, to be that review.
 */
export function expectedReviewBlocks(delivered: Record<string, unknown>[], review: Review): unknown[] {
  const elements = delivered
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Record<string, unknown>[]);
  const answer = elements.find((e) => e.action_id === 'answer_questions');
  const { requestId } = JSON.parse(String(answer?.value)) as { requestId: string };
  const menu = elements.find((e) => e.action_id === 'ask_another_agent') as
    | { options?: { text: { text: string } }[] }
    | undefined;
  const [expected] = renderReview(review, {
    requestId,
    agentName: 'backend-architect',
    model: 'any',
    durationMs: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    otherAgents: (menu?.options ?? []).map((o) => o.text.text),
  });
  return (expected?.blocks ?? []).slice(0, -1);
}
