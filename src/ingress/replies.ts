import { budgetSpentText, rateLimitedText } from '../access/limit-text';
import type { Agent } from '../agents/agent';
import type { Refusal } from './admission';

/** Texts the ingress answers with; kept together so the bot speaks with one voice. */
export const replies = {
  help(reaction: string, agents: Agent[], defaultAgent: string): string {
    return [
      '*Architect* reviews software designs where your team discusses them. Ways to ask:',
      '• `/architect review <paste your design>`: posts your request in this channel and answers in its thread.',
      '• `@Architect <question>` inside a thread: answers with the whole thread as context.',
      `• React with :${reaction}: to a message that holds a design: reviews it in its thread.`,
      '• *…* → *Review with Architect* on any message: choose an agent and what to focus on.',
      '• Message Architect directly: each message starts its own conversation; say “review this” to review the channel or thread you have open beside it.',
      `Add \`--agent NAME\` to choose an agent (default: \`${defaultAgent}\`). \`/architect agents\` lists them.`,
      '',
      replies.agentList(agents),
    ].join('\n');
  },
  agentList(agents: Agent[]): string {
    if (agents.length === 0) return 'No agents are loaded.';
    return [
      '*Agents:*',
      ...agents.map((a) => `• \`${a.name}\` (${a.model}): ${firstSentence(a.description)}`),
    ].join('\n');
  },
  usage(problem: string, agents: Agent[]): string {
    return [
      problem,
      'Usage: `/architect review [--agent NAME] <design or question>`, `/architect help`, `/architect agents`.',
      replies.agentList(agents),
    ].join('\n');
  },
  unknownAgent(name: string, agents: Agent[]): string {
    return replies.usage(`There is no agent called \`${name}\`.`, agents);
  },
  emptyRequest(agents: Agent[]): string {
    return replies.usage('Paste the design or question after the command.', agents);
  },
  queued: (agentName: string) => `Got it: *${agentName}* will answer in a thread under your request.`,
  queueUnavailable:
    'Architect can’t take requests right now: its queue is unreachable. Nothing was lost on your side; please try again in a minute.',
  retryExpired: 'This request is too old to retry. Please ask again.',
  reviewGone:
    'That review is no longer available (reviews are kept for 30 days, and a thread may have been deleted). Ask again to get a new one.',
  staleButton: 'That button is out of date. Ask again to get a new review.',
  agentGone: (name: string) =>
    `The agent \`${name}\` is no longer available. \`/architect agents\` lists the ones that are.`,
  notAllowed: (by: 'team' | 'channel' | 'user') =>
    by === 'channel'
      ? 'Architect isn’t enabled in this channel. Ask your workspace admin to add it (ALLOWED_CHANNELS), or ask in a channel where it is.'
      : by === 'user'
        ? 'Architect isn’t enabled for you yet. Ask your workspace admin to add you (ALLOWED_USERS).'
        : 'Architect isn’t enabled for this workspace.',
  wrongPlace:
    'That review belongs to another conversation, so Architect can’t act on it from here. Ask for a new review where you are.',
  rateLimited: rateLimitedText,
  budgetSpent: budgetSpentText,
  /** The one place a refusal becomes words. */
  refusal(refusal: Refusal): string {
    switch (refusal.reason) {
      case 'not_allowed':
        return replies.notAllowed(refusal.by);
      case 'rate_limit':
        return replies.rateLimited(refusal.limit, refusal.resetsAt);
      case 'cost_guard':
        return replies.budgetSpent(refusal.resetsAt, refusal.scope);
      case 'queue_unavailable':
        return replies.queueUnavailable;
      case 'wrong_place':
        return replies.wrongPlace;
    }
  },
  answerRequired: 'Write an answer before posting (or press Cancel).',
  adrTitleRequired: 'Give the decision a title (a few words).',
  adrDecisionRequired: 'Write the decision in a paragraph (or press Cancel).',
  adrAlreadySubmitted: 'This form was already submitted; the ADR is on its way to the thread.',
  adrFormNotOpened: 'Slack did not open the “Save as ADR” form in time. Click *Save as ADR* again.',
  adrNotSaved:
    'Architect could not save the ADR (Slack or Redis did not answer). Click *Save as ADR* on the review to try again.',
  /** A DM's "review this" with no app context from Slack. */
  noViewedContext:
    'I can’t tell what you’re looking at. Open the channel or thread you want reviewed with this conversation beside it and say “review this” again, or paste the design here.',
  cannotReadViewed: (what: string) =>
    `I can’t read ${what}, so I can’t review it from here. Paste its content here, or use *…* → *Review with Architect* on a message.`,
  /** "review this" of a conversation the person cannot see (any more), or that could not be checked. */
  cannotSeeViewed: (why: 'not_member' | 'cannot_check') =>
    why === 'not_member'
      ? 'I only review conversations you can see, and you’re not a member of that one. Ask someone in it to use *…* → *Review with Architect* there.'
      : 'I couldn’t check that you can see that conversation, so I won’t review it from here. Please try again in a minute, or paste the design here. (If this keeps happening, ask your workspace admin to reinstall Architect: it now needs to read channel membership.)',
  settingsAdminsOnly:
    'Only workspace admins and owners can change Architect’s settings. Ask one of them to make the change.',
  settingsBadRepository: 'Write the repository as owner/name, for example acme/architecture.',
  settingsBadPath: 'Write a folder inside the repository, for example docs/adr.',
  settingsTokenRequired: 'Paste a GitHub token that can reach this repository.',
  settingsBadToken:
    'That does not look like a GitHub token (letters, digits and underscores, like github_pat_…).',
  settingsNotSaved: 'Architect could not save the settings just now. Please try again in a minute.',
  followupQueued: (agentName: string) =>
    `Your answers are on their way to the thread; *${agentName}* will follow up there.`,
};

/** The first sentence of an agent description, without the examples Claude Code descriptions carry. */
export function firstSentence(description: string): string {
  const flat = description
    .replace(/<example>[\s\S]*?<\/example>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end === -1 ? flat : flat.slice(0, end + 1);
  return sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence;
}
