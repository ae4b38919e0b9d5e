import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { draftAdr } from '../../../adr/adr-draft';
import { errorMessage } from '../../../lib/error-message';
import { withTimeout } from '../../../lib/with-timeout';
import { renderAdrModal } from '../../../rendering/adr-modal';
import { clickedReview } from '../../clicked-review';
import type { IngressDeps } from '../../ingress-deps';
import { replies } from '../../replies';
import { tellUser } from '../../tell-user';
import type { ButtonArgs } from '../listener-args';

/** The click's trigger_id lives about three seconds; the thread's opening message must not eat them. */
const THREAD_ROOT_TIMEOUT_MS = 1200;

const RepliesSchema = z.object({ messages: z.array(z.object({ text: z.string().optional() })).optional() });

/**
 * "Save as ADR": opens the form prefilled from the stored review and the thread's opening message. The
 * ADR itself is written when the form is submitted (views/adr-submission.ts).
 */
export function saveAsAdr(deps: IngressDeps) {
  return async ({ ack, body, action, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const where = { channel: body.channel?.id ?? '', user: body.user.id, threadTs: body.message?.thread_ts };
    const record = await clickedReview(deps, client, { body, context, value: action.value });
    if (!record) return;
    const [root, publishing] = await Promise.all([
      threadRoot(client, record.channelId, record.threadTs),
      deps.adrs?.forTeam(record.teamId).catch(() => undefined),
    ]);
    const replyTs = body.message?.ts;
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderAdrModal({
          metadata: { v: 1, requestId: record.requestId, ...(replyTs ? { replyTs } : {}) },
          draft: draftAdr(record.review, root),
          agentName: record.agentName,
          headline: record.review.headline,
          repository: publishing?.repository,
        }),
      });
    } catch (error) {
      deps.logger.warn({ err: errorMessage(error) }, 'could not open the Save as ADR form');
      await tellUser(client, deps.logger, where, replies.adrFormNotOpened);
    }
  };
}

/** The thread's opening message (usually the design itself); undefined when Slack is slow or refuses. */
async function threadRoot(client: WebClient, channel: string, ts: string): Promise<string | undefined> {
  try {
    const answer = await withTimeout(
      client.conversations.replies({ channel, ts, limit: 1 }),
      THREAD_ROOT_TIMEOUT_MS,
      'reading the thread took too long',
    );
    const parsed = RepliesSchema.safeParse(answer);
    return parsed.success ? parsed.data.messages?.[0]?.text : undefined;
  } catch {
    return undefined;
  }
}
