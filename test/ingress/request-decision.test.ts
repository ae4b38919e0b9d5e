import type { Agent } from '../../src/agents/agent';
import { AgentRegistry } from '../../src/agents/agent-registry';
import { replies } from '../../src/ingress/replies';
import { decideRequest } from '../../src/ingress/request-decision';
import { parseCommandText, parseMentionText } from '../../src/ingress/request-text';

const agent = (name: string): Agent => ({
  name,
  description: `${name}. Reviews designs.`,
  model: 'claude-sonnet-5-5',
  modelSetting: 'sonnet',
  tools: [],
  systemPrompt: `You are ${name}.`,
  file: `/agents/${name}.md`,
});
const registry = AgentRegistry.fromAgents([agent('backend-architect'), agent('Startup CTO')]);
const deps = { agents: registry, defaultAgent: 'backend-architect', reviewReaction: 'architect' };
const agents = registry.list();

describe('what /architect, a mention and a DM ask for', () => {
  it('answers help and the agent list at once, the same for the command and a mention', () => {
    for (const parsed of [parseCommandText('help'), parseMentionText('<@UBOT> help', 'UBOT')])
      expect(decideRequest(deps, parsed, false)).toEqual({
        kind: 'reply',
        text: replies.help('architect', agents, 'backend-architect'),
      });
    expect(decideRequest(deps, parseCommandText('agents'), false)).toEqual({
      kind: 'reply',
      text: replies.agentList(agents),
    });
  });

  it('reviews with the agent as the registry names it, whatever case the person typed', () => {
    const decision = decideRequest(deps, parseCommandText('review --agent startup-cto one Postgres?'), false);
    expect(decision).toEqual({
      kind: 'review',
      agentName: 'Startup CTO',
      text: 'one Postgres?',
      saidReview: true,
    });
    // Without the word, the question is left to its words: it gets an answer.
    expect(decideRequest(deps, parseCommandText('UUIDv7 or bigserial for order ids?'), false)).toEqual({
      kind: 'review',
      agentName: 'backend-architect',
      text: 'UUIDv7 or bigserial for order ids?',
    });
  });

  it('explains an unknown agent and a flag without a name instead of queueing', () => {
    expect(decideRequest(deps, parseCommandText('--agent nobody my design'), false)).toEqual({
      kind: 'reply',
      text: replies.unknownAgent('nobody', agents),
    });
    expect(decideRequest(deps, parseCommandText('my design --agent'), false).kind).toBe('reply');
  });

  it('asks for a design when there is no text and nothing else to review, and reviews the thread when there is', () => {
    const bare = parseMentionText('<@UBOT>', 'UBOT');
    expect(decideRequest(deps, bare, false)).toEqual({ kind: 'reply', text: replies.emptyRequest(agents) });
    expect(decideRequest(deps, bare, true)).toEqual({
      kind: 'review',
      agentName: 'backend-architect',
      text: '',
    });
  });
});
