import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/architect-harness';
import { parseDockerfile } from './dockerfile-recipe';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the Dockerfile as the image check follows it', () => {
  it('builds with every dependency, then runs production dependencies only, both installed with npm ci', () => {
    const [build, runtime, ...more] = parseDockerfile(read('Dockerfile'));
    expect(more).toEqual([]);
    expect(build?.name).toBe('build');
    expect(build?.instructions).toContainEqual({ kind: 'RUN', command: 'npm ci --no-audit --no-fund' });
    expect(build?.instructions).toContainEqual({ kind: 'RUN', command: 'npm run build' });
    expect(runtime?.instructions).toContainEqual({ kind: 'ENV', vars: { NODE_ENV: 'production' } });
    expect(runtime?.instructions).toContainEqual({
      kind: 'RUN',
      command: 'npm ci --omit=dev --no-audit --no-fund && npm cache clean --force',
    });
    expect(runtime?.instructions).toContainEqual({
      kind: 'COPY',
      from: 'build',
      sources: ['/app/dist'],
      dest: './dist',
    });
    expect(runtime?.instructions).toContainEqual({ kind: 'CMD', argv: ['node', 'dist/main.js'] });
  });

  it('reads the HEALTHCHECK command across its continuation lines', () => {
    const runtime = parseDockerfile(read('Dockerfile')).at(-1);
    const check = runtime?.instructions.find((i) => i.kind === 'HEALTHCHECK');
    expect(check).toEqual({
      kind: 'HEALTHCHECK',
      command: expect.stringMatching(/^node -e ".*\/healthz.*"$/),
    });
  });

  it('stops at an instruction it does not understand, naming its line, rather than skip it', () => {
    const text =
      'FROM node:20 AS build\nWORKDIR /app\n\n# volumes are not part of the recipe\nVOLUME /data\n';
    expect(() => parseDockerfile(text)).toThrow(
      'Dockerfile line 5: VOLUME is not understood by the image check',
    );
  });

  it('refuses a CMD in shell form, which would not receive SIGTERM as PID 1', () => {
    expect(() => parseDockerfile('FROM node:20\nCMD node dist/main.js\n')).toThrow(
      'Dockerfile line 2: expected the exec form',
    );
  });
});

describe('the install commands', () => {
  it('are npm ci in the README, CI and the Dockerfile, and CI runs the README test command', () => {
    const readmeCommands = read('README.md').split('```')[1] ?? '';
    expect(readmeCommands).toContain('npm ci && npm start');
    expect(readmeCommands).toContain('npm ci && npm test');
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci <\/dev\/null$/m);
    expect(ci).toMatch(/^npm test <\/dev\/null$/m);
    expect(ci).toMatch(/npm ci --dry-run/);
    expect(readmeCommands).not.toContain('npm install');
    expect(ci).not.toMatch(/^\s*npm install\b/m);
    const dockerRuns = parseDockerfile(read('Dockerfile')).flatMap((stage) =>
      stage.instructions.flatMap((i) => (i.kind === 'RUN' ? [i.command] : [])),
    );
    expect(dockerRuns.filter((command) => command.includes('npm install'))).toEqual([]);
  });
});
