/**
 * How much work each phase does. `full` gives the figures; `quick` and `smoke` only show it all runs
 * (smoke streams the review a hundred times faster, so the verdict phase takes a second, not a minute).
 */
export interface BenchSize {
  name: 'smoke' | 'quick' | 'full';
  /** Requests of each kind sent before any ack is measured (JIT warm-up), per process. */
  ackWarmup: number;
  /** Requests of each kind measured at 1 in flight. */
  ackSerial: number;
  /** Requests of each kind measured at 50 in flight. */
  ackConcurrent: number;
  /** Consultations timed for request-to-placeholder and pipeline overhead. */
  latencyConsultations: number;
  /** Consultations in flight while those are timed: fewer than WORKER_CONCURRENCY, so the worker is free. */
  latencyInFlight: number;
  /** The fake model's latency while timing placeholder and overhead. */
  latencyModelMs: number;
  /** The fake model's latency for throughput, memory, and the ack phase's background work. */
  slowModelMs: number;
  /** Consultations per throughput run = rounds × WORKER_CONCURRENCY. */
  throughputRounds: number;
  zeroLatencyConsultations: number;
  memoryConsultations: number;
  memoryThreadMessages: number;
  rawBullmqJobs: number;
  rawBullmqPickups: number;
  /** Consultations timed, all at once, from request to the verdict visible in the thread. */
  verdictConsultations: number;
  /** The fake model's output rate while they are timed: about 60 tokens/s is what a user sees. */
  verdictTokensPerSec: number;
  /** Reviews requested within two seconds in one workspace, against a Slack that enforces its tiers. */
  burstReviews: number;
  /** The channels they are spread over (three slash commands to one mention). */
  burstChannels: number;
  /** The fake model's time per review in the burst. */
  burstModelMs: number;
}

export const ACK_IN_FLIGHT = [1, 50] as const;
export const THROUGHPUT_CONCURRENCIES = [25, 100] as const;
/** Raw BullMQ's floor runs at concurrency 50, and the zero-latency app run matches it. */
export const FLOOR_CONCURRENCY = 50;

export const SIZES: Record<BenchSize['name'], BenchSize> = {
  smoke: {
    name: 'smoke',
    ackWarmup: 10,
    ackSerial: 20,
    ackConcurrent: 100,
    latencyConsultations: 4,
    latencyInFlight: 2,
    latencyModelMs: 100,
    slowModelMs: 300,
    throughputRounds: 1,
    zeroLatencyConsultations: 50,
    memoryConsultations: 20,
    memoryThreadMessages: 50,
    rawBullmqJobs: 1000,
    rawBullmqPickups: 20,
    verdictConsultations: 2,
    verdictTokensPerSec: 6000,
    burstReviews: 8,
    burstChannels: 2,
    burstModelMs: 1000,
  },
  quick: {
    name: 'quick',
    ackWarmup: 50,
    ackSerial: 100,
    ackConcurrent: 500,
    latencyConsultations: 20,
    latencyInFlight: 5,
    latencyModelMs: 500,
    slowModelMs: 2000,
    throughputRounds: 1,
    zeroLatencyConsultations: 300,
    memoryConsultations: 100,
    memoryThreadMessages: 200,
    rawBullmqJobs: 5000,
    rawBullmqPickups: 100,
    verdictConsultations: 3,
    verdictTokensPerSec: 60,
    burstReviews: 24,
    burstChannels: 6,
    burstModelMs: 13_000,
  },
  full: {
    name: 'full',
    ackWarmup: 200,
    ackSerial: 1000,
    ackConcurrent: 4000,
    latencyConsultations: 100,
    latencyInFlight: 5,
    latencyModelMs: 1000,
    slowModelMs: 2000,
    throughputRounds: 4,
    zeroLatencyConsultations: 2000,
    memoryConsultations: 100,
    memoryThreadMessages: 200,
    rawBullmqJobs: 20000,
    rawBullmqPickups: 500,
    verdictConsultations: 5,
    verdictTokensPerSec: 60,
    burstReviews: 24,
    burstChannels: 6,
    burstModelMs: 13_000,
  },
};
