import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_REVIEW_PATHS, parsePatterns } from '../../src/cli/pr-files';

/**
 * The example workflow is copied into other repositories as it is, and action.yml is what its `uses:`
 * runs: the workflow must pass the action inputs it has, the action must turn them into a `pr-review`
 * of the published package, and the trigger filter must let through every file the patterns review.
 */

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

const StepSchema = z.object({
  name: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const WorkflowSchema = z.object({
  on: z.object({ pull_request: z.object({ types: z.array(z.string()), paths: z.array(z.string()) }) }),
  permissions: z.record(z.string(), z.string()),
  concurrency: z.object({ group: z.string(), 'cancel-in-progress': z.boolean() }),
  jobs: z.object({ review: z.object({ if: z.string(), steps: z.array(StepSchema) }) }),
});
const ActionSchema = z.object({
  inputs: z.record(
    z.string(),
    z.object({ description: z.string(), required: z.boolean(), default: z.string().optional() }),
  ),
  runs: z.object({
    using: z.literal('composite'),
    steps: z.array(StepSchema.extend({ shell: z.string().optional() })),
  }),
});

const readYaml = (file: string): unknown => parse(readFileSync(path.join(ROOT, file), 'utf8'));
const workflow = WorkflowSchema.parse(readYaml('examples/github/architect-review.yml'));
const action = ActionSchema.parse(readYaml('action.yml'));
const reviewStep = workflow.jobs.review.steps.find((s) => s.uses?.startsWith('architect-review/architect@'));
/** A GitHub Actions expression as the YAML writes it. */
const expression = (inner: string) => `\${{ ${inner} }}`;

test('the example’s review step is the action, given the key from secrets and only inputs it has', () => {
  expect(reviewStep?.uses).toBe('architect-review/architect@v1');
  expect(reviewStep?.with?.['anthropic-api-key']).toBe(expression('secrets.ANTHROPIC_API_KEY'));
  for (const input of Object.keys(reviewStep?.with ?? {}))
    expect(Object.keys(action.inputs)).toContain(input);
  expect(action.inputs['anthropic-api-key']?.required).toBe(true);
  expect(action.inputs['github-token']?.default).toBe(expression('github.token'));
  expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  // Two runs of one pull request must not race to create the comment.
  expect(workflow.concurrency.group).toContain('github.event.pull_request.number');
});

test('its patterns, and the action’s default ones, are the CLI’s; its trigger filter lets through every file they match', () => {
  expect(parsePatterns(reviewStep?.with?.paths)).toEqual(DEFAULT_REVIEW_PATHS);
  expect(parsePatterns(action.inputs.paths?.default)).toEqual(DEFAULT_REVIEW_PATHS);
  const examples = [
    'docs/adr/0001-x.md',
    'docs/design/a/b.md',
    'orders.design.md',
    'svc/api/orders.design.md',
  ];
  for (const file of examples) {
    expect(workflow.on.pull_request.paths.some((p) => minimatch(file, p, { dot: true }))).toBe(true);
  }
});

describe('the action’s step', () => {
  let bin: string;
  beforeAll(() => {
    // npx stands in for the registry: it prints what it was asked to run, and which agents folder.
    bin = mkdtempSync(path.join(tmpdir(), 'architect-action-'));
    writeFileSync(
      path.join(bin, 'npx'),
      '#!/usr/bin/env node\nconsole.log(JSON.stringify({ argv: process.argv.slice(2), agentsDir: process.env.AGENTS_DIR ?? null }));\n',
    );
    chmodSync(path.join(bin, 'npx'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  /** The composite step's script as GitHub runs it: inputs in INPUT_* variables, from the action's folder. */
  async function runStep(env: Record<string, string>): Promise<{ argv: string[]; agentsDir: string | null }> {
    const step = action.runs.steps.find((s) => s.run);
    expect(step?.run).toBe('bash "$GITHUB_ACTION_PATH/scripts/action/run-pr-review.sh"');
    const { stdout } = await run('bash', ['-c', step?.run ?? ''], {
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        GITHUB_ACTION_PATH: ROOT,
        INPUT_PATHS: 'docs/**',
        ...env,
      },
    });
    return JSON.parse(stdout);
  }

  it('runs pr-review of the package version the tag names, with only the options set', async () => {
    expect(await runStep({ ACTION_REF: 'v1', AGENTS_DIR: '' })).toEqual({
      argv: ['--yes', '@architect-review/architect@1', 'pr-review', '--paths', 'docs/**'],
      agentsDir: null,
    });
    expect((await runStep({ ACTION_REF: 'v1.4.2' })).argv[1]).toBe('@architect-review/architect@1.4.2');
    expect((await runStep({ ACTION_REF: 'main' })).argv[1]).toBe('@architect-review/architect@latest');
    expect((await runStep({ ACTION_REF: 'v1', INPUT_VERSION: '0.9.0' })).argv[1]).toBe(
      '@architect-review/architect@0.9.0',
    );
  });

  it('passes agent, fail-on, model, the agents folder and the ADR folder as the CLI’s options', async () => {
    const all = await runStep({
      INPUT_PATHS: 'docs/adr/**\n*.design.md\n',
      INPUT_AGENT: 'backend-architect',
      INPUT_FAIL_ON: 'major',
      INPUT_MODEL: 'claude-opus-5-5',
      INPUT_ADRS: 'architecture/decisions',
      AGENTS_DIR: '.claude/agents',
    });
    const none = await runStep({ INPUT_ADRS: 'none' });

    expect(all).toEqual({
      argv: [
        '--yes',
        '@architect-review/architect@latest',
        'pr-review',
        '--paths',
        'docs/adr/**\n*.design.md\n',
        '--agent',
        'backend-architect',
        '--fail-on',
        'major',
        '--model',
        'claude-opus-5-5',
        '--adrs',
        'architecture/decisions',
      ],
      agentsDir: '.claude/agents',
    });
    expect(none.argv.slice(-1)).toEqual(['--no-adrs']);
  });
});
