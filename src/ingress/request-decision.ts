import type { IngressDeps } from './ingress-deps';
import { replies } from './replies';
import type { ParsedRequest } from './request-text';

/** What the bot does with a parsed request: answer at once, or review with a loaded agent. */
export type RequestDecision =
  | { kind: 'reply'; text: string }
  | { kind: 'review'; agentName: string; text: string; saidReview?: true };

/**
 * Shared by `/architect`, @mentions and DMs so the same words get the same answer everywhere: help, the
 * agent list and usage problems are replied to at once, an unknown agent or an empty request is
 * explained, anything else is a review. `hasContext` is whether there is something to review without
 * text (a thread, or attached files).
 */
export function decideRequest(
  deps: Pick<IngressDeps, 'agents' | 'defaultAgent' | 'reviewReaction'>,
  parsed: ParsedRequest,
  hasContext: boolean,
): RequestDecision {
  const agents = deps.agents.list();
  const reply = (text: string): RequestDecision => ({ kind: 'reply', text });
  switch (parsed.kind) {
    case 'help':
      return reply(replies.help(deps.reviewReaction, agents, deps.defaultAgent));
    case 'agents':
      return reply(replies.agentList(agents));
    case 'invalid':
      return reply(replies.usage(parsed.problem, agents));
  }
  // `--agent startup-cto` may name `Startup CTO`; the name as written is the one shown and queued.
  const agentName =
    deps.agents.get(parsed.agentName ?? deps.defaultAgent)?.name ?? parsed.agentName ?? deps.defaultAgent;
  if (!deps.agents.get(agentName)) return reply(replies.unknownAgent(agentName, agents));
  if (!parsed.text && !hasContext) return reply(replies.emptyRequest(agents));
  return { kind: 'review', agentName, text: parsed.text, ...(parsed.saidReview ? { saidReview: true } : {}) };
}
