import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AgentRegistry } from '../agents/agent-registry';
import { GroundedReviewSchema } from '../domain/review';
import { oneLineReason } from '../standalone/cli-error';
import type { Consultant } from '../standalone/consultant';
import { chooseAgent } from '../standalone/load-agents';
import { type DesignInput, designFromText } from '../standalone/read-input';
import { consultedReviewMarkdown, reviewDesign } from '../standalone/review-design';
import { type McpTeamAdrs, searchDecisions } from './team-adrs';

/** What the tools are built from: the command line's pieces (stdio) or the bot's (`POST /mcp`). */
export interface ArchitectMcpDeps {
  version: string;
  agents: AgentRegistry;
  defaultAgent: string;
  context: { tokenBudget: number; files: { maxBytes: number; textTokenBudget: number } };
  /** The team's ADRs; undefined when none are configured, with `noAdrsReason` saying why. */
  adrs: McpTeamAdrs | undefined;
  noAdrsReason: string;
  /**
   * The consultant for one review, once the review is admitted: the command line's own, or, over HTTP,
   * one that counts against the workspace's daily budget. Throws (a CliError) to refuse the review.
   */
  admitReview(): Promise<Consultant>;
  /** Reads a file the client names; absent over HTTP, where the server's files are not the client's. */
  readFile?: (path: string) => Promise<DesignInput>;
  /** Appended to the tools' descriptions: whose agents, settings and ADRs these are. */
  scope: string;
}

const MAX_FILES = 10;
const MAX_FOCUS_CHARS = 500;
const MAX_SEARCH_RESULTS = 20;

const AgentSummarySchema = z.object({ name: z.string(), description: z.string(), model: z.string() });
const ListAgentsOutput = z.object({ defaultAgent: z.string(), agents: z.array(AgentSummarySchema) });
const DecisionSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.string().nullable(),
  date: z.string().nullable(),
  superseded: z.boolean(),
  link: z.string().describe('the ADR on GitHub, or its path in the ADR folder'),
});
const SearchDecisionsOutput = z.object({
  source: z.string(),
  decisions: z.array(DecisionSchema),
  notes: z.array(z.string()),
});

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Architect's MCP server: the same review as `architect review` (prompt, agents, ADRs as precedent,
 * evidence check), the agents, and the team's decisions, for agents that speak MCP. Transport-free: the
 * CLI connects it to stdio, the bot's HTTP server to one Streamable HTTP request.
 */
export function createArchitectMcpServer(deps: ArchitectMcpDeps): McpServer {
  const server = new McpServer({ name: 'architect', version: deps.version });
  registerReviewDesign(server, deps);
  registerListAgents(server, deps);
  registerSearchDecisions(server, deps);
  return server;
}

/** `review_design`: the review `architect review` writes, as Markdown and as the validated object. */
function registerReviewDesign(server: McpServer, deps: ArchitectMcpDeps): void {
  const reviewInput = {
    design: z
      .string()
      .min(1, { message: 'design is empty' })
      .describe('the design document, as Markdown or text'),
    agent: z
      .string()
      .optional()
      .describe(`the agent to review with (see list_agents); default ${deps.defaultAgent}`),
    focus: z
      .string()
      .max(MAX_FOCUS_CHARS)
      .optional()
      .describe('what the review should focus on, e.g. "failure modes"'),
    ...(deps.readFile
      ? {
          files: z
            .array(z.string().min(1))
            .max(MAX_FILES)
            .optional()
            .describe(
              'paths of more files to include (relative to where the server runs): code, diagrams, PDFs',
            ),
        }
      : {}),
    useAdrs: z
      .boolean()
      .optional()
      .describe("weigh the team's ADRs as precedent (default true when there are ADRs)"),
  };

  server.registerTool(
    'review_design',
    {
      title: 'Architecture review',
      description: `Reviews a design document as Architect does in Slack: a verdict, findings with quoted evidence checked against the design, clarifying questions. Takes a minute or two. ${deps.scope}`,
      inputSchema: reviewInput,
      outputSchema: GroundedReviewSchema,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (args, extra) =>
      asToolResult(async () => {
        const progress = progressReporter(extra);
        const agent = chooseAgent(deps.agents, args.agent, deps.defaultAgent, 'agent');
        const design = designFromText(args.design, deps.context.files.maxBytes);
        const paths = 'files' in args && Array.isArray(args.files) ? (args.files as string[]) : [];
        const files = await Promise.all(paths.map((p) => readFileOrRefuse(deps, p)));
        const useAdrs = args.useAdrs ?? true;
        const consultant = await deps.admitReview();
        progress(`Reviewing with ${agent.name} (${agent.model})…`);
        const result = await reviewDesign(consultant, {
          design,
          files,
          ...(args.focus ? { focus: args.focus } : {}),
          agent,
          model: agent.model,
          context: deps.context,
          ...(useAdrs && deps.adrs ? { precedent: deps.adrs.precedent } : {}),
          signal: extra.signal,
          onPartialReview: () => progress(`${agent.name} is writing the review…`),
        });
        return {
          content: [{ type: 'text', text: consultedReviewMarkdown(result, agent.name) }],
          structuredContent: GroundedReviewSchema.parse(result.review),
        };
      }),
  );
}

/** `list_agents`: the agents a review can use. */
function registerListAgents(server: McpServer, deps: ArchitectMcpDeps): void {
  server.registerTool(
    'list_agents',
    {
      title: 'Agents',
      description: `The agents review_design can use: name, description and model. ${deps.scope}`,
      outputSchema: ListAgentsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      asToolResult(async () => {
        const agents = deps.agents
          .list()
          .map((a) => ({ name: a.name, description: a.description, model: a.model }));
        const output = { defaultAgent: deps.defaultAgent, agents };
        const text = agents.map((a) => `${a.name} (${a.model}): ${a.description}`).join('\n');
        return { content: [{ type: 'text', text }], structuredContent: output };
      }),
  );
}

/** `search_decisions`: the team's ADRs related to a query, ranked as precedent is. */
function registerSearchDecisions(server: McpServer, deps: ArchitectMcpDeps): void {
  server.registerTool(
    'search_decisions',
    {
      title: "Team's decisions",
      description: `The team's ADRs related to a query, best first (the ranking reviews use to pick precedent), with their status and links. ${deps.scope}`,
      inputSchema: {
        query: z.string().min(1, { message: 'query is empty' }).describe('what the decision is about'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_SEARCH_RESULTS)
          .optional()
          .describe('at most this many (default 5)'),
      },
      outputSchema: SearchDecisionsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      asToolResult(async () => {
        if (!deps.adrs) throw new Error(deps.noAdrsReason);
        const found = await searchDecisions(deps.adrs, args.query, args.limit ?? 5);
        const lines = found.decisions.map(
          (d) => `${d.id} · ${d.title} · ${d.status ?? 'status not stated'} · ${d.link}`,
        );
        const text = [...(lines.length > 0 ? lines : ['No related ADRs.']), ...found.notes].join('\n');
        return { content: [{ type: 'text', text }], structuredContent: found };
      }),
  );
}

async function readFileOrRefuse(deps: ArchitectMcpDeps, path: string): Promise<DesignInput> {
  if (!deps.readFile) throw new Error('files cannot be read here: put their text in design');
  return deps.readFile(path);
}

/** A failure is a tool error with the one-line reason the command line prints, not a protocol error. */
async function asToolResult(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: oneLineReason(error) }] };
  }
}

/**
 * Progress notifications, when the client asked for them with a progress token: one per change of
 * what is happening, at most one a second while Claude writes (each a step further, as MCP requires).
 */
function progressReporter(extra: Extra): (message: string) => void {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let step = 0;
  let last = { message: '', at: 0 };
  return (message) => {
    const now = Date.now();
    if (message === last.message && now - last.at < 1000) return;
    last = { message, at: now };
    step += 1;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: step, message },
      })
      .catch(() => {});
  };
}
