import type { Context } from '@slack/bolt';

/** The workspace a Slack request comes from: the event envelope's team_id, else Bolt's context. */
export function teamIdOf(body: unknown, context: Pick<Context, 'teamId'>): string {
  if (typeof body === 'object' && body !== null && 'team_id' in body && typeof body.team_id === 'string')
    return body.team_id;
  return context.teamId ?? '';
}
