import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { z } from 'zod';
import { GroundedReviewSchema } from '../../src/domain/review';
import { AnthropicFake } from '../fakes/anthropic-fake';
import { sampleReview } from '../fixtures/sample-review';
import { ROOT } from '../helpers/cli-process';
import { callTool, DESIGN_TEXT, textOf } from '../helpers/mcp-client';

/**
 * Architect as someone without a clone gets it: `npm pack` (prepack builds dist/), the tarball
 * installed into an empty folder (its dependencies from the registry, the npm cache first), then the
 * `architect` command run there by npx, for a review and as an MCP server.
 */

const run = promisify(execFile);
/** Packing builds; installing fetches the runtime dependencies: minutes on a cold cache, not seconds. */
const SLOW = 300_000;

const PackSchema = z.array(
  z.object({ name: z.string(), filename: z.string(), files: z.array(z.object({ path: z.string() })) }),
);

let claude: AnthropicFake;
let work: string;
let app: string;
let packed: z.infer<typeof PackSchema>[number];

/** Only what npm needs (HOME for its cache and config): nothing of this test run's npm leaks in. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra };
}

beforeAll(async () => {
  claude = await AnthropicFake.start();
  work = mkdtempSync(path.join(tmpdir(), 'architect-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    env: env(),
    maxBuffer: 16 * 1024 * 1024,
  });
  // npm pack prints prepack's build output before its JSON.
  const parsed = PackSchema.parse(JSON.parse(stdout.slice(stdout.indexOf('['))));
  const first = parsed[0];
  if (!first) throw new Error('npm pack packed nothing');
  packed = first;
  app = path.join(work, 'app');
  mkdirSync(app);
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed.filename)],
    { cwd: app, env: env(), maxBuffer: 16 * 1024 * 1024 },
  );
  writeFileSync(path.join(app, 'design.md'), DESIGN_TEXT);
}, SLOW);

afterAll(async () => {
  await claude.close();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => claude.reset());

const claudeEnv = () =>
  env({ ANTHROPIC_API_KEY: claude.apiKey, ANTHROPIC_BASE_URL: claude.baseURL, ANTHROPIC_MAX_RETRIES: '0' });

describe('the npm package', () => {
  it('holds what runs (the compiled code, the agents, the migrations) and no sources, tests, fixtures or bench', () => {
    const files = packed.files.map((f) => f.path);

    expect(packed.name).toBe('@architect-review/architect');
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/cli/main.js',
        'dist/main.js',
        'dist/cli/mcp-command.js',
        'agents/backend-architect.md',
      ]),
    );
    expect(files.filter((f) => !/^(dist|agents|migrations)\//.test(f)).sort()).toEqual([
      'README.md',
      'package.json',
    ]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
  });

  it(
    'installed into an empty folder, `npx architect review design.md` reviews the design',
    async () => {
      const { stdout, stderr } = await run('npx', ['architect', 'review', 'design.md'], {
        cwd: app,
        env: claudeEnv(),
      });

      expect(stdout.split('\n')[0]).toBe(`**🟡 Sound with changes** — ${sampleReview().headline}`);
      expect(stderr).not.toMatch(/error/i);
      expect(JSON.stringify(claude.lastRequest()?.body.messages)).toContain(
        'The nightly export runs on the primary',
      );
    },
    SLOW,
  );

  it(
    'installed into an empty folder, `npx architect mcp` serves the tools to an MCP client',
    async () => {
      const client = new Client({ name: 'claude-code-like', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: 'npx',
          args: ['architect', 'mcp'],
          cwd: app,
          env: claudeEnv(),
          stderr: 'pipe',
        }),
      );
      try {
        const { tools } = await client.listTools();
        const result = await callTool(client, 'review_design', { design: DESIGN_TEXT });

        expect(tools.map((t) => t.name).sort()).toEqual(['list_agents', 'review_design', 'search_decisions']);
        expect(textOf(result).split('\n')[0]).toBe(`**🟡 Sound with changes** — ${sampleReview().headline}`);
        expect(GroundedReviewSchema.parse(result.structuredContent).headline).toBe(sampleReview().headline);
      } finally {
        await client.close();
      }
    },
    SLOW,
  );
});
