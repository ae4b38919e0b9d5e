import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ROOT } from './cli-process';

/** The design every MCP test reviews: the CLI's fixture, handed over as text as an agent would. */
export const DESIGN_TEXT = readFileSync(path.join(ROOT, 'test/fixtures/cli/orders.design.md'), 'utf8');

/** The text of a tool result's content, joined. */
export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** Calls a tool through the SDK client, with progress notifications collected when `progress` is given. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  opts: { progress?: string[]; signal?: AbortSignal } = {},
): Promise<CallToolResult> {
  const result = await client.callTool({ name, arguments: args }, CallToolResultSchema, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.progress
      ? {
          onprogress: (p: { message?: string }) => opts.progress?.push(p.message ?? ''),
          resetTimeoutOnProgress: true,
        }
      : {}),
  });
  return CallToolResultSchema.parse(result);
}
