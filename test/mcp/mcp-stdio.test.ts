import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { GroundedReviewSchema } from '../../src/domain/review';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { sampleReview, sampleReviewCiting } from '../fixtures/sample-review';
import { teamDecisionsIn } from '../helpers/claude-request';
import { cliCommand, ROOT, runCli } from '../helpers/cli-process';
import { callTool, DESIGN_TEXT, textOf } from '../helpers/mcp-client';

/**
 * `architect mcp` as Claude Code starts it: a real process speaking MCP over its standard input and
 * output, driven by the official SDK's client, with the loopback Anthropic API as Claude.
 */

let claude: AnthropicFake;
let client: Client | undefined;

beforeAll(async () => {
  claude = await AnthropicFake.start();
});
afterAll(() => claude.close());
beforeEach(() => claude.reset());
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function connect(args: string[] = [], cwd = `${ROOT}/test/fixtures/cli`): Promise<Client> {
  const cli = cliCommand(['mcp', ...args]);
  const transport = new StdioClientTransport({
    command: cli.command,
    args: cli.args,
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ANTHROPIC_API_KEY: claude.apiKey,
      ANTHROPIC_BASE_URL: claude.baseURL,
      ANTHROPIC_MAX_RETRIES: '0',
    },
    stderr: 'pipe',
  });
  client = new Client({ name: 'architect-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe('architect mcp (stdio)', () => {
  it('lists its three tools, each with an input schema, and an output schema where it returns data', async () => {
    const mcp = await connect();

    const { tools } = await mcp.listTools();

    expect(tools.map((t) => t.name).sort()).toEqual(['list_agents', 'review_design', 'search_decisions']);
    const review = tools.find((t) => t.name === 'review_design');
    expect(review?.inputSchema.required).toEqual(['design']);
    expect(Object.keys(review?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['design', 'agent', 'focus', 'files', 'useAdrs']),
    );
    expect(review?.outputSchema?.properties).toHaveProperty('findings');
    for (const tool of tools) expect(tool.outputSchema?.type).toBe('object');
  });

  it('reviews a design given as text: Claude’s review as the CLI’s Markdown and as structuredContent, with progress', async () => {
    const mcp = await connect();
    const progress: string[] = [];

    const result = await callTool(
      mcp,
      'review_design',
      { design: DESIGN_TEXT, focus: 'failure modes' },
      { progress },
    );

    expect(result.isError).toBeFalsy();
    expect(textOf(result).split('\n')[0]).toBe(`**🟡 Sound with changes** — ${sampleReview().headline}`);
    const review = GroundedReviewSchema.parse(result.structuredContent);
    expect(review.headline).toBe(sampleReview().headline);
    // The evidence check ran against the design's text: the sample's quotes are in it.
    expect(review.findings.find((f) => f.evidence === 'nightly export')?.verified).toBe(true);
    expect(progress[0]).toMatch(/^Reviewing with backend-architect/);
    const request = JSON.stringify(claude.lastRequest()?.body.messages);
    expect(request).toContain('The nightly export runs on the primary');
    expect(request).toContain('focusing on: failure modes');
  });

  it('weighs the ADRs of the folder it runs in, and finds them with search_decisions', async () => {
    claude.enqueue({ kind: 'review', review: sampleReviewCiting('ADR-0003') });
    const mcp = await connect();

    const found = await callTool(mcp, 'search_decisions', { query: 'transactional outbox' });
    const review = await callTool(mcp, 'review_design', { design: DESIGN_TEXT });

    expect(found.structuredContent).toMatchObject({
      source: 'docs/adr',
      decisions: [
        {
          id: 'ADR-0003',
          title: expect.stringContaining('outbox'),
          link: expect.stringMatching(/0003-use-transactional-outbox\.md$/),
        },
      ],
    });
    expect(teamDecisionsIn(claude.lastRequest())).toContain('ADR-0003');
    expect(
      GroundedReviewSchema.parse(review.structuredContent).findings.some((f) => f.adr?.id === 'ADR-0003'),
    ).toBe(true);
  });

  it('lists the agents with their descriptions and models', async () => {
    const mcp = await connect();

    const result = await callTool(mcp, 'list_agents', {});

    expect(result.structuredContent).toMatchObject({
      defaultAgent: 'backend-architect',
      agents: expect.arrayContaining([
        { name: 'backend-architect', description: expect.any(String), model: 'claude-sonnet-5-5' },
      ]),
    });
  });

  it('stops the Claude call when the client cancels the request', async () => {
    claude.enqueue({ kind: 'hang' });
    const mcp = await connect();
    const abort = new AbortController();

    const call = callTool(mcp, 'review_design', { design: DESIGN_TEXT }, { signal: abort.signal });
    await claude.waitForRequests(1);
    abort.abort('the person pressed Esc');

    await expect(call).rejects.toThrow();
    expect(await claude.waitForHangUps(1)).toBe(1);
    // The server is still there for the next request.
    expect((await callTool(mcp, 'review_design', { design: DESIGN_TEXT })).isError).toBeFalsy();
  });

  it('answers a bad argument, an unknown agent and a file it cannot read with tool errors, in one line', async () => {
    const mcp = await connect();

    const badType = await callTool(mcp, 'review_design', { design: 42 });
    const unknownAgent = await callTool(mcp, 'review_design', { design: DESIGN_TEXT, agent: 'nobody' });
    const missingFile = await callTool(mcp, 'review_design', { design: DESIGN_TEXT, files: ['nope.md'] });

    expect(badType.isError).toBe(true);
    expect(textOf(badType)).toMatch(/design/);
    expect(textOf(unknownAgent)).toMatch(
      /^agent "nobody" did not load from .*: no such agent; loaded: .*backend-architect/,
    );
    expect(textOf(missingFile)).toBe('cannot read nope.md: no such file');
    for (const r of [unknownAgent, missingFile]) {
      expect(r.isError).toBe(true);
      expect(textOf(r)).not.toContain('\n');
    }
    expect(claude.requests).toHaveLength(0);
  });

  it('says which Claude error stopped a review, as the CLI says it', async () => {
    claude.enqueue({ kind: 'error', status: 401, type: 'authentication_error' });
    const mcp = await connect();

    const result = await callTool(mcp, 'review_design', { design: DESIGN_TEXT });

    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Claude refused the API key: check ANTHROPIC_API_KEY.');
  });

  it('does not start without ANTHROPIC_API_KEY, and says so in one line', async () => {
    const { code, stdout, stderr } = await runCli(['mcp']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('architect: ANTHROPIC_API_KEY is required (your Claude API key)\n');
  });
});
