import type { App, MessageShortcut } from '@slack/bolt';
import { CallbackId } from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { reviewWithArchitect } from './review-with-architect';

export function register(app: App, deps: IngressDeps): void {
  app.shortcut<MessageShortcut>(CallbackId.reviewShortcut, reviewWithArchitect(deps));
}
