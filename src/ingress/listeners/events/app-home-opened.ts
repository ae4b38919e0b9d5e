import { errorMessage } from '../../../lib/error-message';
import { type HomeReview, renderHomeView } from '../../../rendering/home-view';
import type { ReviewRecord } from '../../../stores/review-store';
import type { IngressDeps } from '../../ingress-deps';
import { firstSentence } from '../../replies';
import { teamIdOf } from '../../team-id';
import type { EventArgs } from '../listener-args';

/** Reviews the Home tab lists; each costs one chat.getPermalink call when the tab opens. */
const RECENT_REVIEWS = 10;

/**
 * The Home tab, published each time the user opens it: how to ask, the agents, and the user's own
 * recent reviews with links to their threads. Nothing is queued; a failure only leaves the old tab.
 */
export function appHomeOpened(deps: IngressDeps) {
  return async ({ event, client, context, body }: EventArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    const teamId = teamIdOf(body, context);
    const log = deps.logger.child({ teamId, userId: event.user, component: 'app-home' });
    const records = await (
      deps.userReviews?.recent(teamId, event.user, RECENT_REVIEWS) ?? Promise.resolve([])
    ).catch((error: unknown) => {
      log.warn({ err: errorMessage(error) }, 'could not read the user’s reviews');
      return [] as ReviewRecord[];
    });
    const reviews = await Promise.all(
      records.map(async (record): Promise<HomeReview> => {
        const link = await client.chat
          .getPermalink({ channel: record.channelId, message_ts: record.threadTs })
          .catch(() => undefined);
        return {
          agentName: record.agentName,
          // The headline names the design and the verdict in one line; older records have only a summary.
          summary: record.review?.headline ?? record.summary,
          channelId: record.channelId,
          createdAt: record.createdAt,
          ...(link?.permalink ? { permalink: link.permalink } : {}),
        };
      }),
    );
    const saved = await deps.adrs?.forTeam(teamId).catch(() => undefined);
    const adrs = await (saved?.saved?.recent(teamId, event.user) ?? Promise.resolve([])).catch(
      (error: unknown) => {
        log.warn({ err: errorMessage(error) }, 'could not read the user’s saved ADRs');
        return [];
      },
    );
    const view = renderHomeView({
      agents: deps.agents
        .list()
        .map((a) => ({ name: a.name, model: a.model, description: firstSentence(a.description) })),
      defaultAgent: deps.defaultAgent,
      reviewReaction: deps.reviewReaction,
      reviews,
      adrs,
    });
    await client.views.publish({ user_id: event.user, view });
    log.debug({ reviews: reviews.length }, 'home tab published');
  };
}
