import type { App, MessageShortcut } from '@slack/bolt';
import { REVIEW_SHORTCUT_CALLBACK_ID } from '../../../rendering/interactions';
import type { IngressDeps } from '../../ingress-deps';
import { reviewWithArchitect } from './review-with-architect';

export function register(app: App, deps: IngressDeps): void {
  app.shortcut<MessageShortcut>(REVIEW_SHORTCUT_CALLBACK_ID, reviewWithArchitect(deps));
}
