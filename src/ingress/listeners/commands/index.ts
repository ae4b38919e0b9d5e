import type { App } from '@slack/bolt';
import type { IngressDeps } from '../../ingress-deps';
import { architectCommand } from './architect-command';

export function register(app: App, deps: IngressDeps): void {
  app.command('/architect', architectCommand(deps));
}
