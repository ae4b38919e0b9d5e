import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * README's copy-paste commands for the three uses (a terminal, Claude Code and remote agents over MCP,
 * CI) name the package, the command and the action as they are.
 */

const ROOT = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = z
  .object({ name: z.string(), bin: z.record(z.string(), z.string()), private: z.boolean().optional() })
  .parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')));

test('the first thing a terminal user tries is npx <package> review design.md, from a package npm will publish', () => {
  const [botBlock, terminalBlock] = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  // The README opens with what a newcomer to the bot runs (start it, test it), then the terminal's first try.
  expect(botBlock).toMatch(/npm start/);
  expect(botBlock).toMatch(/npm test/);
  expect(terminalBlock?.split('\n')[0]).toBe(`npx ${pkg.name} review design.md`);
  expect(pkg.private).toBeUndefined();
  expect(Object.keys(pkg.bin)).toEqual(['architect']);
});

test('it shows how to add the MCP server to Claude Code, over stdio and over HTTP with a bearer token', () => {
  expect(readme).toContain(
    `claude mcp add architect --env ANTHROPIC_API_KEY=sk-ant-... -- npx -y ${pkg.name} mcp`,
  );
  expect(readme).toMatch(
    /claude mcp add --transport http architect https:\/\/\S+\/mcp --header "Authorization: Bearer <token>"/,
  );
});

test('its workflow step uses the action the example workflow uses', () => {
  const example = readFileSync(path.join(ROOT, 'examples/github/architect-review.yml'), 'utf8');
  const uses = /uses: (architect-review\/architect@v\d+)/.exec(example)?.[1];
  expect(uses).toBeDefined();
  expect(readme).toContain(`- uses: ${uses}`);
});
