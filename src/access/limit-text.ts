/** What a person is told when a limit stops their request; the worker and the ingress both say it. */

/** How a time is written: Slack's date markup, or plain UTC for an MCP client. */
type TimeText = (at: Date) => string;

export function rateLimitedText(limit: number, resetsAt: Date, time: TimeText = slackTime): string {
  return `You’ve asked for ${limit} reviews in the last hour, the limit per person. You can ask again ${time(resetsAt)}.`;
}

export function budgetSpentText(resetsAt: Date, scope?: 'deployment', time: TimeText = slackTime): string {
  if (scope === 'deployment')
    return `Architect has used today’s Claude budget for all the workspaces it serves, so it can’t take new reviews. It resets ${time(resetsAt)}.`;
  return `This workspace has used today’s Claude budget for Architect. It resets ${time(resetsAt)}.`;
}

/** A time as plain text, for readers outside Slack: "at 14:00 UTC". */
export function utcTime(at: Date): string {
  return `at ${at.toISOString().slice(11, 16)} UTC`;
}

/** A time Slack shows in each reader's own time zone, with a UTC fallback for old clients. */
function slackTime(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(11, 16)} UTC`;
  return `at <!date^${seconds}^{time}|${fallback}>`;
}
