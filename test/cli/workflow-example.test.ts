import { readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_REVIEW_PATHS, parsePatterns } from '../../src/cli/pr-files';

/**
 * The example workflow is copied into other repositories as it is: it must call a command that exists
 * with the settings it needs, and its trigger filter must let through every file its patterns review.
 */

const StepSchema = z.object({
  name: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const WorkflowSchema = z.object({
  on: z.object({ pull_request: z.object({ types: z.array(z.string()), paths: z.array(z.string()) }) }),
  permissions: z.record(z.string(), z.string()),
  concurrency: z.object({ group: z.string(), 'cancel-in-progress': z.boolean() }),
  jobs: z.object({ review: z.object({ if: z.string(), steps: z.array(StepSchema) }) }),
});

const workflow = WorkflowSchema.parse(
  parse(readFileSync(path.join(__dirname, '../../examples/github/architect-review.yml'), 'utf8')),
);
const steps = workflow.jobs.review.steps;
/** A GitHub Actions expression as the YAML writes it. */
const expression = (inner: string) => `\${{ ${inner} }}`;
const reviewStep = steps.find((s) => s.run?.includes('pr-review'));

test('the review step runs the built CLI’s pr-review with the key from secrets and the job’s token', () => {
  expect(reviewStep?.run).toBe('node .architect/dist/cli/main.js pr-review --paths "$REVIEW_PATHS"');
  expect(reviewStep?.env).toMatchObject({
    ANTHROPIC_API_KEY: expression('secrets.ANTHROPIC_API_KEY'),
    GITHUB_TOKEN: expression('github.token'),
  });
  expect(steps.some((s) => s.run?.includes('npm run build --prefix .architect'))).toBe(true);
  expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  // Two runs of one pull request must not race to create the comment.
  expect(workflow.concurrency.group).toContain('github.event.pull_request.number');
});

test('its patterns are the CLI’s defaults, and its trigger filter lets through every file they match', () => {
  const patterns = parsePatterns(reviewStep?.env?.REVIEW_PATHS);
  expect(patterns).toEqual(DEFAULT_REVIEW_PATHS);
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
