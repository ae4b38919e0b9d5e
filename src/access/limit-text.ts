/** What a person is told when a limit stops their request; the worker and the ingress both say it. */

export function rateLimitedText(limit: number, resetsAt: Date): string {
  return `You’ve asked for ${limit} reviews in the last hour, the limit per person. You can ask again ${slackTime(resetsAt)}.`;
}

/** `scope` 'deployment': every workspace of the deployment together has used the day's budget. */
export function budgetSpentText(resetsAt: Date, scope?: 'deployment'): string {
  if (scope === 'deployment')
    return `Architect has used today’s Claude budget for all the workspaces it serves, so it can’t take new reviews. It resets ${slackTime(resetsAt)}.`;
  return `This workspace has used today’s Claude budget for Architect. It resets ${slackTime(resetsAt)}.`;
}

/** A time Slack shows in each reader's own time zone, with a UTC fallback for old clients. */
function slackTime(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(11, 16)} UTC`;
  return `at <!date^${seconds}^{time}|${fallback}>`;
}
