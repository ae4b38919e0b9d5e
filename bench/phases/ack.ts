import type { BenchContext } from '../context';
import { type SignedRequest, SlackClient } from '../load';
import { ACK_IN_FLIGHT } from '../sizes';
import { type Percentiles, percentiles } from '../stats';

export type AckKind = 'slashCommand' | 'event';
/** Ack latency in ms by request kind and by requests in flight ("1", "50"). */
export type AckProfile = Record<AckKind, Record<string, Percentiles>>;

/**
 * Acknowledgement latency of whatever listens on `port`, the app or the bare-Bolt floor, measured
 * with the same signed requests in the same order: slash commands and app_mention events, each at 1
 * and at 50 in flight, after a warm-up.
 */
export async function measureAcks(ctx: BenchContext, port: number): Promise<AckProfile> {
  const client = new SlackClient(port);
  try {
    const warmup = [
      ...requests(ctx, 'slashCommand', ctx.size.ackWarmup),
      ...requests(ctx, 'event', ctx.size.ackWarmup),
    ];
    await client.sendAll(warmup, 10);
    const profile: AckProfile = { slashCommand: {}, event: {} };
    for (const inFlight of ACK_IN_FLIGHT) {
      const count = inFlight === 1 ? ctx.size.ackSerial : ctx.size.ackConcurrent;
      for (const kind of ['slashCommand', 'event'] as const) {
        const sent = await client.sendAll(requests(ctx, kind, count), inFlight);
        profile[kind][String(inFlight)] = percentiles(sent.map((s) => s.latencyMs));
      }
    }
    return profile;
  } finally {
    client.close();
  }
}

/** Built (and signed) before timing starts. Events point at real messages so the app's worker finds them. */
function requests(ctx: BenchContext, kind: AckKind, count: number): SignedRequest[] {
  return Array.from({ length: count }, () =>
    kind === 'slashCommand' ? ctx.workspace.slashCommand().request : ctx.workspace.mentionInThread(2).request,
  );
}
