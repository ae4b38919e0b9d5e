import type { App } from '@slack/bolt';
import type { IngressDeps } from '../ingress-deps';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as shortcuts from './shortcuts';
import * as views from './views';

/** Wires every Slack surface the bot answers on. */
export function registerListeners(app: App, deps: IngressDeps): void {
  commands.register(app, deps);
  events.register(app, deps);
  actions.register(app, deps);
  shortcuts.register(app, deps);
  views.register(app, deps);
}
