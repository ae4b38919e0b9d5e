import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CodedError, ErrorCode } from '../errors';
import { withTimeout } from '../lib/with-timeout';
import {
  CONSULTATION_QUEUE,
  type ConsultationJob,
  ConsultationJobSchema,
  type JobRetention,
} from './consultation-job';

/** Thrown when a request cannot be queued because Redis is unreachable; the user is told to try again. */
export class QueueUnavailableError extends CodedError<typeof ErrorCode.QueueUnavailable> {
  constructor(cause: unknown) {
    super(ErrorCode.QueueUnavailable, 'The consultation queue is unreachable', { cause });
  }
}

export interface ConsultationQueueOptions extends JobRetention {
  /** The shared, fail-fast Redis connection; a connection that is not ready makes enqueue refuse at once. */
  connection: Redis;
  /** Key prefix of the queue's keys in Redis; the worker must use the same one (QUEUE_PREFIX). */
  prefix: string;
  /** How long a deduplication key holds: Slack redelivers an event for up to about five minutes. */
  dedupTtlMs: number;
  /** Tries a consultation gets (the first included), retried with exponential backoff from 2 s (JOB_ATTEMPTS). */
  attempts: number;
  /**
   * How long an enqueue may take before the user is told the queue is unavailable.
   * @defaultValue 2000
   */
  enqueueTimeoutMs?: number;
}

export type EnqueueResult = { status: 'queued'; jobId: string } | { status: 'duplicate'; jobId: string };

/** The producer side of the consultation queue, used by the Slack ingress. */
export class ConsultationQueue {
  private readonly queue: Queue<ConsultationJob>;
  private readonly enqueueTimeoutMs: number;

  constructor(private readonly options: ConsultationQueueOptions) {
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 2000;
    this.queue = new Queue<ConsultationJob>(CONSULTATION_QUEUE, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: 2000 },
        // Bounded history: enough to inspect recent work (and to Retry a failed review), never an ever-growing Redis.
        removeOnComplete: options.keepCompleted,
        removeOnFail: options.keepFailed,
      },
    });
    // BullMQ re-emits connection errors here; the fail-fast connection already reports them to callers.
    this.queue.on('error', () => undefined);
  }

  /**
   * Queues a consultation unless one with the same `dedupKey` was queued within the dedup TTL.
   * Rejects with QueueUnavailableError when Redis does not answer in time.
   */
  async enqueue(job: ConsultationJob, dedupKey: string): Promise<EnqueueResult> {
    // BullMQ would wait for a lost connection to come back; the user is better served by an answer now.
    if (this.options.connection.status !== 'ready') {
      throw new QueueUnavailableError(new Error(`Redis connection is ${this.options.connection.status}`));
    }
    try {
      const added = await withTimeout(
        this.queue.add('consultation', job, {
          jobId: job.request.requestId,
          deduplication: { id: dedupKey, ttl: this.options.dedupTtlMs },
        }),
        this.enqueueTimeoutMs,
        'enqueue timed out',
      );
      const jobId = added.id ?? job.request.requestId;
      // BullMQ answers a deduplicated add with the job that already holds the key.
      return jobId === job.request.requestId ? { status: 'queued', jobId } : { status: 'duplicate', jobId };
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  /** The request behind a job that is still kept in Redis (finished jobs are kept for a day). */
  async findRequest(requestId: string): Promise<ConsultationJob | undefined> {
    const job = await withTimeout(this.queue.getJob(requestId), this.enqueueTimeoutMs, 'lookup timed out');
    const parsed = ConsultationJobSchema.safeParse(job?.data);
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * Removes the consultations still waiting for a worker that `belongs` to (a workspace that removed the
   * app, say); returns how many. One a worker already runs finds no installation and is dropped there.
   */
  async dropWaiting(belongs: (job: ConsultationJob) => boolean): Promise<number> {
    const jobs = await this.queue.getJobs(['waiting', 'delayed', 'prioritized']);
    let dropped = 0;
    for (const job of jobs) {
      const parsed = ConsultationJobSchema.safeParse(job.data);
      if (!parsed.success || !belongs(parsed.data)) continue;
      // A job a worker took meanwhile is locked and cannot be removed; the worker drops that one.
      if (
        await job.remove().then(
          () => true,
          () => false,
        )
      )
        dropped++;
    }
    return dropped;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
