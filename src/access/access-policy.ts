/** Who may use the bot: the optional allowlists of ALLOWED_TEAMS, ALLOWED_CHANNELS and ALLOWED_USERS. */
export interface AccessLists {
  teams: string[];
  channels: string[];
  users: string[];
}

export interface Requester {
  teamId: string;
  channelId: string;
  userId: string;
}

/** Which list refused the request, or undefined when it is allowed. An empty list allows everyone. */
export function accessRefusal(lists: AccessLists, who: Requester): 'team' | 'channel' | 'user' | undefined {
  if (lists.teams.length > 0 && !lists.teams.includes(who.teamId)) return 'team';
  if (lists.channels.length > 0 && !lists.channels.includes(who.channelId)) return 'channel';
  if (lists.users.length > 0 && !lists.users.includes(who.userId)) return 'user';
  return undefined;
}
