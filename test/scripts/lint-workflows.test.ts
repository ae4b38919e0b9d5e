import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lintWorkflows, workflowFiles } from '../../scripts/lint-workflows';

/** `npm run lint:workflows`, which CI runs: the repository's Actions files pass, and a broken one is named. */

const ROOT = path.resolve(__dirname, '../..');

test('checks action.yml, the release workflow and the example, and finds nothing wrong with them', () => {
  expect(workflowFiles(ROOT).map((f) => f.file)).toEqual([
    'action.yml',
    '.github/workflows/release.yml',
    'examples/github/architect-review.yml',
  ]);
  expect(lintWorkflows(ROOT)).toEqual([]);
});

test('names the file and the problem of a workflow or an action GitHub would refuse', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'architect-workflows-'));
  try {
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    cpSync(path.join(ROOT, 'action.yml'), path.join(root, 'action.yml'));
    // A job without runs-on, and an action whose composite steps lost their `shell`.
    writeFileSync(
      path.join(root, '.github/workflows/ci.yml'),
      'on: push\njobs:\n  test:\n    steps:\n      - run: npm test\n',
    );
    writeFileSync(
      path.join(root, 'action.yml'),
      'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n',
    );

    const problems = lintWorkflows(root);

    expect(problems.some((p) => p.startsWith('.github/workflows/ci.yml: '))).toBe(true);
    expect(problems.some((p) => p.startsWith('action.yml: '))).toBe(true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
