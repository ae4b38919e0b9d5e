import { viewedContextOf } from '../../../stores/viewed-context';
import type { IngressDeps } from '../../ingress-deps';
import { teamIdOf } from '../../team-id';
import type { EventArgs } from '../listener-args';

/**
 * What the person is looking at changed while Architect's DM is open (agent view): remembered, so that
 * "review this" in the DM reviews it. An empty context forgets the earlier one.
 */
export function appContextChanged(deps: IngressDeps) {
  return async ({ event, context, body }: EventArgs<'app_context_changed'>) => {
    const teamId = teamIdOf(body, context);
    if (!event.user) return;
    await deps.viewedContexts?.save(teamId, event.user, viewedContextOf(event.context));
  };
}
