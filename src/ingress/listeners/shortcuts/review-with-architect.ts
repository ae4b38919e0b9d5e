import { errorMessage } from '../../../lib/error-message';
import { renderReviewModal } from '../../../rendering/review-modal';
import type { IngressDeps } from '../../ingress-deps';
import { firstSentence } from '../../replies';
import type { MessageShortcutArgs } from '../listener-args';

const COULD_NOT_OPEN =
  'Architect couldn’t open its form just now. Please try “Review with Architect” again, or react with the review emoji.';

/**
 * "…" → "Review with Architect" on a message: acknowledged at once, then the modal opens with the
 * shortcut's trigger_id, which Slack honours for 3 seconds. Nothing is queued until it is submitted.
 */
export function reviewWithArchitect(deps: IngressDeps) {
  return async ({ shortcut, ack, client, respond }: MessageShortcutArgs): Promise<void> => {
    await ack();
    const view = renderReviewModal({
      agents: deps.agents.list().map((a) => ({ name: a.name, description: firstSentence(a.description) })),
      defaultAgent: deps.defaultAgent,
      metadata: {
        v: 1,
        channelId: shortcut.channel.id,
        messageTs: shortcut.message.ts,
        ...(shortcut.response_url && shortcut.response_url.length <= 500
          ? { responseUrl: shortcut.response_url }
          : {}),
      },
    });
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view });
    } catch (error) {
      deps.logger.warn({ err: errorMessage(error) }, 'could not open the review form');
      await respond({ response_type: 'ephemeral', text: COULD_NOT_OPEN }).catch(() => undefined);
    }
  };
}
