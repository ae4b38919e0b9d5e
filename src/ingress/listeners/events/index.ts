import type { App } from '@slack/bolt';
import type { IngressDeps } from '../../ingress-deps';
import { appHomeOpened } from './app-home-opened';
import { appMention } from './app-mention';
import { reactionAdded } from './reaction-added';

export function register(app: App, deps: IngressDeps): void {
  app.event('app_mention', appMention(deps));
  app.event('reaction_added', reactionAdded(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
