import type { App } from '@slack/bolt';
import type { IngressDeps } from '../../ingress-deps';
import { appContextChanged } from './app-context-changed';
import { appHomeOpened } from './app-home-opened';
import { appMention } from './app-mention';
import { registerUninstall } from './app-uninstalled';
import { directMessage } from './direct-message';
import { messagesTabOpened } from './messages-tab-opened';
import { reactionAdded } from './reaction-added';
import { splitViewAssistant } from './split-view-assistant';

export function register(app: App, deps: IngressDeps): void {
  // Before the listeners: it takes the legacy split view's events and its threads' messages.
  app.assistant(splitViewAssistant(deps));
  app.event('app_mention', appMention(deps));
  app.event('reaction_added', reactionAdded(deps));
  app.event('app_home_opened', appHomeOpened(deps));
  app.event('app_home_opened', messagesTabOpened(deps));
  app.event('app_context_changed', appContextChanged(deps));
  app.event('message', directMessage(deps));
  registerUninstall(app, deps);
}
