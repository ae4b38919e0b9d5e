import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { bearerTokenNumber } from '../http/bearer-token';
import { json } from '../http/json-response';
import { readBody } from '../http/read-body';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';
import { type ArchitectMcpDeps, createArchitectMcpServer } from './architect-mcp-server';

export interface McpEndpointOptions {
  /** MCP_TOKEN: a request must name one of these as its bearer token. */
  tokens: readonly string[];
  /** A design is at most FILE_MAX_BYTES; the JSON around it adds little. */
  bodyLimitBytes: number;
  logger: Logger;
  /** The tools for a request made with the `tokenNumber`-th token (1-based). */
  depsFor(tokenNumber: number): ArchitectMcpDeps;
}

const RequestIdSchema = z.union([z.string(), z.number()]);
/** Only what this endpoint itself reads of a message; the SDK's transport parses the rest. */
const PeekSchema = z.object({
  method: z.string().optional(),
  id: RequestIdSchema.optional(),
  params: z.object({ requestId: RequestIdSchema.optional() }).loose().optional(),
});

/**
 * `POST /mcp`: the MCP server over Streamable HTTP, stateless (no session to lose when a replica
 * restarts or a load balancer moves a client): each POST gets a server and a transport of its own,
 * closed when its response ends, which also aborts a review whose client went away. A client's
 * `notifications/cancelled` arrives in a POST of its own, so the endpoint closes the server running
 * that call (on this replica, for the same token) to stop its Claude call.
 */
export function createMcpEndpoint(options: McpEndpointOptions) {
  const running = new Map<string, McpServer>();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      return json(res, 405, rpcError(-32000, 'Method not allowed: MCP here is POST only (stateless)'), {
        allow: 'POST',
      });
    }
    const tokenNumber = bearerTokenNumber(req.headers.authorization, options.tokens);
    if (tokenNumber === undefined) {
      options.logger.warn({ path: '/mcp' }, 'MCP request refused: no valid bearer token');
      return json(res, 401, rpcError(-32001, 'Unauthorized: send Authorization: Bearer <one of MCP_TOKEN>'), {
        'www-authenticate': 'Bearer realm="architect"',
      });
    }
    const body = await readBody(req, options.bodyLimitBytes);
    if (!body) {
      return json(res, 413, rpcError(-32600, 'Request too large'), { connection: 'close' });
    }
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      return json(res, 400, rpcError(-32700, 'Parse error: the body is not JSON'));
    }
    const messages = (Array.isArray(message) ? message : [message]).map((m) => PeekSchema.safeParse(m).data);
    for (const m of messages) {
      if (m?.method === 'notifications/cancelled' && m.params?.requestId !== undefined) {
        const key = callKey(tokenNumber, m.params.requestId);
        const server = running.get(key);
        running.delete(key);
        if (server) void server.close();
      }
    }

    const server = createArchitectMcpServer(options.depsFor(tokenNumber));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const calls = messages.flatMap((m) =>
      m?.method === 'tools/call' && m.id !== undefined ? [callKey(tokenNumber, m.id)] : [],
    );
    for (const key of calls) running.set(key, server);
    res.once('close', () => {
      for (const key of calls) if (running.get(key) === server) running.delete(key);
      server
        .close()
        .catch((error: unknown) =>
          options.logger.warn({ err: errorMessage(error) }, 'closing an MCP request failed'),
        );
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, message);
  };
}

function callKey(tokenNumber: number, id: string | number): string {
  return `${tokenNumber}:${typeof id}:${id}`;
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
