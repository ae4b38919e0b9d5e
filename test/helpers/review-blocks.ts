import { groundReview } from '../../src/consultation/grounding';
import type { Review } from '../../src/domain/review';
import { renderReply } from '../../src/rendering/review-message';

/**
 * The blocks the renderer makes for the reply to `review`, with the request id and the other agents
 * read from the buttons of a delivered message, all but the closing context line (its time taken
 * differs from run to run): what `delivered` must equal, bar that line, to be that reply. The compact
 * reply shows no evidence, so grounding does not change it.
 */
export function expectedReviewBlocks(delivered: Record<string, unknown>[], review: Review): unknown[] {
  const elements = delivered
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Record<string, unknown>[]);
  const full = elements.find((e) => e.action_id === 'open_full_review');
  const { requestId } = JSON.parse(String(full?.value)) as { requestId: string };
  const menu = elements.find((e) => e.action_id === 'ask_another_agent') as
    | { options?: { text: { text: string } }[] }
    | undefined;
  const expected = renderReply(groundReview(review, ''), {
    requestId,
    agentName: 'backend-architect',
    model: 'any',
    durationMs: 0,
    asOf: '2026-01-01',
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    otherAgents: (menu?.options ?? []).map((o) => o.text.text),
  });
  return expected.blocks.slice(0, -1);
}
