import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { GroundedReviewSchema } from '../../src/domain/review';
import { sampleReview } from '../fixtures/sample-review';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { callTool, DESIGN_TEXT, textOf } from '../helpers/mcp-client';
import { slashCommand } from '../helpers/slack-actions';

/**
 * `POST /mcp` on the bot's HTTP server, as a remote agent reaches it: the official SDK's client over
 * Streamable HTTP, the app running against the Slack and Anthropic fakes and the real Redis.
 */

const TOKEN = randomBytes(32).toString('hex');
const OTHER_TOKEN = randomBytes(32).toString('hex');
let h: Harness | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await h?.stop();
  h = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({ MCP_TOKEN: `${OTHER_TOKEN},${TOKEN}`, ...env });
  return h;
}

async function connect(app: Harness, token = TOKEN): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${app.baseUrl}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  client = new Client({ name: 'remote-agent', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

function initialize(app: Harness, headers: Record<string, string>): Promise<Response> {
  return fetch(`${app.baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    }),
  });
}

describe('POST /mcp', () => {
  it('answers 401 without a token, with a wrong one, and with a token that is not a bearer token', async () => {
    const app = await start();

    const answers = await Promise.all([
      initialize(app, {}),
      initialize(app, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }),
      initialize(app, { authorization: `Basic ${TOKEN}` }),
    ]);

    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="architect"');
      expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(/^Unauthorized/) } });
    }
    expect((await initialize(app, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('is not there without MCP_TOKEN', async () => {
    h = await startHarness();

    expect((await initialize(h, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });

  it('lists the tools and reviews a design: Claude’s review as text and as structuredContent', async () => {
    const app = await start();
    const mcp = await connect(app);
    const progress: string[] = [];

    const { tools } = await mcp.listTools();
    const result = await callTool(
      mcp,
      'review_design',
      { design: DESIGN_TEXT, agent: 'backend-architect' },
      { progress },
    );

    expect(tools.map((t) => t.name).sort()).toEqual(['list_agents', 'review_design', 'search_decisions']);
    // A remote caller cannot make the server read its own files.
    expect(tools.find((t) => t.name === 'review_design')?.inputSchema.properties).not.toHaveProperty('files');
    expect(tools.find((t) => t.name === 'review_design')?.description).toContain('Slack workspace T0001');
    expect(result.isError).toBeFalsy();
    expect(textOf(result).split('\n')[0]).toBe(`**🟡 Sound with changes** — ${sampleReview().headline}`);
    expect(GroundedReviewSchema.parse(result.structuredContent).headline).toBe(sampleReview().headline);
    expect(progress[0]).toMatch(/^Reviewing with backend-architect/);
    expect(JSON.stringify(app.claude.lastRequest()?.body.messages)).toContain(
      'The nightly export runs on the primary',
    );
  });

  it('spends the workspace’s daily budget, as Slack reviews do: then MCP and Slack are both refused', async () => {
    const app = await start({ DAILY_TOKEN_BUDGET_PER_TEAM: '100' });
    app.claude.enqueue({ kind: 'review', usage: { input_tokens: 400, output_tokens: 300 } });
    const mcp = await connect(app);

    const first = await callTool(mcp, 'review_design', { design: DESIGN_TEXT });
    const second = await callTool(mcp, 'review_design', { design: DESIGN_TEXT });
    const slack = await slashCommand(app, 'review another design');

    expect(first.isError).toBeFalsy();
    expect(second.isError).toBe(true);
    expect(textOf(second)).toMatch(
      /^This workspace has used today’s Claude budget for Architect\. It resets at \d\d:\d\d UTC\.$/,
    );
    expect(slack.text).toMatch(/used today’s Claude budget/);
    expect(app.claude.requests).toHaveLength(1);
  });

  it('stops the Claude call when the client cancels the request', async () => {
    const app = await start();
    app.claude.enqueue({ kind: 'hang' });
    const mcp = await connect(app);
    const abort = new AbortController();

    const call = callTool(mcp, 'review_design', { design: DESIGN_TEXT }, { signal: abort.signal });
    await app.claude.waitForRequests(1);
    abort.abort('the agent gave up');

    await expect(call).rejects.toThrow();
    expect(await app.claude.waitForHangUps(1)).toBe(1);
  });

  it('answers a bad argument with a tool error, and calls no one', async () => {
    const app = await start();
    const mcp = await connect(app);

    const bad = await callTool(mcp, 'review_design', { design: '' });
    const unknown = await callTool(mcp, 'search_decisions', { query: 'outbox' });

    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/design is empty/);
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toBe(
      'this Architect has no team ADRs: its operator sets ADR_DIR or GITHUB_REPOSITORY',
    );
    expect(app.claude.requests).toHaveLength(0);
  });
});
