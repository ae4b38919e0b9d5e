import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { slackSignature, TEST_SIGNING_SECRET } from '../test/helpers/slack-signing';

/** One request as Slack would send it, signed in advance so the client spends its time sending. */
export interface SignedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

export interface Sent {
  /** Wall-clock ms (Date.now()) just before the request was written: comparable with the fakes' `at`. */
  sentAt: number;
  /** From writing the request to the end of the response. */
  latencyMs: number;
  status: number;
}

export function signRequest(body: string, contentType: 'form' | 'json'): SignedRequest {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body: Buffer.from(body),
    headers: {
      'content-type': contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(TEST_SIGNING_SECRET, timestamp, body),
    },
  };
}

/**
 * A load generator for POST /slack/events: node:http with keep-alive rather than fetch, so the client
 * (on the same 2 cores as the server) costs as little as it can and costs the same for app and floor.
 */
export class SlackClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(req: SignedRequest): Promise<Sent> {
    return new Promise((resolve, reject) => {
      const sentAt = Date.now();
      const t0 = performance.now();
      const r = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: '/slack/events',
          method: 'POST',
          agent: this.agent,
          headers: { ...req.headers, 'content-length': String(req.body.length) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () =>
            resolve({ sentAt, latencyMs: performance.now() - t0, status: res.statusCode ?? 0 }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
  }

  /** Sends every request with at most `inFlight` outstanding; results in request order. */
  async sendAll(requests: readonly SignedRequest[], inFlight: number): Promise<Sent[]> {
    const results: Sent[] = new Array(requests.length);
    let next = 0;
    const lane = async () => {
      while (next < requests.length) {
        const i = next++;
        const req = requests[i];
        if (req) results[i] = await this.send(req);
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, requests.length) }, lane));
    const failed = results.filter((r) => r.status !== 200);
    if (failed.length > 0) {
      throw new Error(`${failed.length} of ${requests.length} requests were not acknowledged with 200`);
    }
    return results;
  }

  close(): void {
    this.agent.destroy();
  }
}
