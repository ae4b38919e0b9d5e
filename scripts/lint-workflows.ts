/**
 * `npm run lint:workflows`: checks the repository's GitHub Actions files against GitHub's schemas with
 * action-validator (its WebAssembly build from npm): the workflows in .github/workflows, the example
 * workflows people copy from examples/github, and action.yml. Prints each problem as `file: what (where)`
 * and exits 1 when there is one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ValidationError, validateAction, validateWorkflow } from '@action-validator/core';

const WORKFLOW_FOLDERS = ['.github/workflows', 'examples/github'];

/** The Actions files under `root`, relative to it: action.yml first, then each folder's YAML files. */
export function workflowFiles(root: string): { file: string; kind: 'action' | 'workflow' }[] {
  const action = existsSync(path.join(root, 'action.yml')) ? [{ file: 'action.yml', kind: 'action' as const }] : [];
  const workflows = WORKFLOW_FOLDERS.flatMap((folder) =>
    existsSync(path.join(root, folder))
      ? readdirSync(path.join(root, folder))
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => ({ file: `${folder}/${name}`, kind: 'workflow' as const }))
      : [],
  );
  return [...action, ...workflows];
}

/** Every problem in the Actions files under `root`, one line each; empty when they are all valid. */
export function lintWorkflows(root: string): string[] {
  return workflowFiles(root).flatMap(({ file, kind }) => {
    const source = readFileSync(path.join(root, file), 'utf8');
    const state = kind === 'action' ? validateAction(source) : validateWorkflow(source);
    return state.errors.map((error) => `${file}: ${describe(error)}`);
  });
}

function describe(error: ValidationError): string {
  const where = 'path' in error && error.path ? ` (${error.path})` : '';
  const line = 'location' in error && error.location ? ` (line ${error.location.line})` : '';
  return `${error.title}${where}${line}${error.detail ? `: ${error.detail}` : ''}`;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const files = workflowFiles(root);
  const problems = lintWorkflows(root);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.stdout.write(`${files.length} files checked, ${problems.length} problems\n`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
