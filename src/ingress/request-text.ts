/** What a slash command or mention asks for, parsed from its text. */
export type ParsedRequest =
  | { kind: 'help' }
  | { kind: 'agents' }
  /** `saidReview`: the command opened with the word `review`, which asks for a review whatever follows. */
  | { kind: 'review'; agentName: string | undefined; text: string; saidReview?: true }
  | { kind: 'invalid'; problem: string };

// A name with spaces is quoted, `--agent "Startup CTO"`; Slack clients may turn the quotes curly.
const AGENT_FLAG = /(?:^|\s)--agent(?:=|\s+)(?:"([^"]*)"|“([^”]*)”|'([^']*)'|‘([^’]*)’|(\S+))/;
const BARE_AGENT_FLAG = /(?:^|\s)--agent\s*$/;
const NO_AGENT_NAME: ParsedRequest = { kind: 'invalid', problem: '`--agent` needs an agent name after it.' };

/**
 * Parses `/architect` text: `help`, `agents`, `review [--agent NAME] <text>` or `[--agent NAME] <text>`.
 * The flag may stand anywhere before the text; everything else is the design or question, kept verbatim.
 */
export function parseCommandText(raw: string): ParsedRequest {
  const text = raw.trim();
  const first = text.split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  if (first === '' || first === 'help')
    return text.split(/\s+/).length <= 1 ? { kind: 'help' } : parseReview(text);
  if (first === 'agents' && text.split(/\s+/).length === 1) return { kind: 'agents' };
  if (first !== 'review') return parseReview(text);
  const parsed = parseReview(text.slice('review'.length));
  return parsed.kind === 'review' ? { ...parsed, saidReview: true } : parsed;
}

/** Parses the text of an @mention: the bot's own mention is removed, then it reads like a command. */
export function parseMentionText(raw: string, botUserId: string | undefined): ParsedRequest {
  const withoutBot = botUserId ? raw.replaceAll(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ') : raw;
  const text = withoutBot.trim();
  if (/^(help|agents)$/i.test(text)) return { kind: text.toLowerCase() as 'help' | 'agents' };
  const parsed = parseReview(text);
  // A bare mention in a thread is a request to review the thread, so empty text is fine here.
  return parsed;
}

function parseReview(text: string): ParsedRequest {
  if (BARE_AGENT_FLAG.test(text)) return NO_AGENT_NAME;
  const match = AGENT_FLAG.exec(text);
  if (!match) return { kind: 'review', agentName: undefined, text: text.trim() };
  const agentName = match
    .slice(1)
    .find((group) => group !== undefined)
    ?.trim();
  if (!agentName) return NO_AGENT_NAME;
  const rest = (text.slice(0, match.index) + text.slice(match.index + match[0].length)).trim();
  return { kind: 'review', agentName, text: rest };
}
