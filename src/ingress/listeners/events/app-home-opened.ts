import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../../../lib/error-message';
import { type HomeReview, renderHomeView } from '../../../rendering/home-view';
import type { HomeSettings } from '../../../rendering/settings-view';
import { isSettingsAdmin } from '../../../slack/workspace-admins';
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
    await publishHome(deps, client, teamIdOf(body, context), event.user);
  };
}

/** Draws and publishes `userId`'s Home tab (also after they change the workspace's settings). */
export async function publishHome(
  deps: IngressDeps,
  client: WebClient,
  teamId: string,
  userId: string,
): Promise<void> {
  const log = deps.logger.child({ teamId, userId, component: 'app-home' });
  const records = await (
    deps.userReviews?.recent(teamId, userId, RECENT_REVIEWS) ?? Promise.resolve([])
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
  const adrs = await (saved?.saved?.recent(teamId, userId) ?? Promise.resolve([])).catch((error: unknown) => {
    log.warn({ err: errorMessage(error) }, 'could not read the user’s saved ADRs');
    return [];
  });
  const view = renderHomeView({
    agents: deps.agents
      .list()
      .map((a) => ({ name: a.name, model: a.model, description: firstSentence(a.description) })),
    defaultAgent: deps.defaultAgent,
    reviewReaction: deps.reviewReaction,
    reviews,
    adrs,
    settings: await homeSettings(deps, client, teamId, userId, saved?.repository),
  });
  await client.views.publish({ user_id: userId, view });
  log.debug({ reviews: reviews.length }, 'home tab published');
}

/** The Settings section: the workspace's own (OAuth mode), or the environment's, shown read-only. */
async function homeSettings(
  deps: IngressDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  fromEnvironment: { name: string; adrPath: string } | undefined,
): Promise<HomeSettings> {
  if (!deps.settings) {
    return {
      source: 'environment',
      canEdit: false,
      adrRepository: fromEnvironment
        ? { name: fromEnvironment.name, path: fromEnvironment.adrPath }
        : undefined,
    };
  }
  const [stored, canEdit] = await Promise.all([
    deps.settings.store.get(teamId).catch(() => undefined),
    isSettingsAdmin(client, userId, deps.settings.admins),
  ]);
  const adr = stored?.settings.adr;
  return {
    source: 'workspace',
    canEdit,
    adrRepository: adr ? { name: `${adr.owner}/${adr.repo}`, path: adr.path } : undefined,
  };
}
