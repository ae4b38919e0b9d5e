import type { Agent } from '../agents/agent';

export interface SuggestedPrompt {
  title: string;
  message: string;
}

/** Slack shows at most four prompts. */
const MAX_PROMPTS = 4;

/**
 * The prompts shown when someone opens Architect's DM: what Architect is for, asked of the default
 * agent, then one prompt per other loaded agent (up to Slack's four), so the list matches what this
 * deployment can actually do.
 */
export function suggestedPrompts(
  agents: Agent[],
  defaultAgent: string,
): {
  title: string;
  prompts: SuggestedPrompt[];
} {
  const general: SuggestedPrompt[] = [
    { title: 'Review a design', message: 'Review this design: ' },
    {
      title: 'Threat-model this',
      message: 'Threat-model this design (attack surface, trust boundaries, mitigations): ',
    },
    { title: 'Compare two options', message: 'Compare these two options and recommend one: ' },
  ];
  const others = agents
    .filter((a) => a.name !== defaultAgent)
    .map((a) => ({ title: `Ask ${a.name}`, message: `--agent "${a.name}" Review this design: ` }));
  const lookingAt = { title: 'Review what I’m looking at', message: 'review this' };
  const prompts = [...general, ...(others.length > 0 ? others : [lookingAt])].slice(0, MAX_PROMPTS);
  const more = agents.length > 1 ? ` (or one of ${agents.length - 1} other agents)` : '';
  return { title: `Ask ${defaultAgent}${more}`, prompts };
}
