import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from '../logger';
import {
  type Checkpoints,
  type ConsultationJob,
  ConsultationJobSchema,
  type QueuedRequest,
} from '../queue/consultation-job';

/** How a consultation ended, returned as the job's result. */
export type ConsultationOutcome = 'delivered' | 'already_delivered' | 'failed' | 'uninstalled';

/**
 * One attempt at a consultation: what was asked (read-only: the ingress wrote it) and how far earlier
 * attempts got (its checkpoints, each saved to the job before the run moves on, so a retried attempt
 * resumes instead of repeating). A test builds one from plain data.
 */
export class ConsultationRun {
  readonly log: Logger;
  readonly request: Readonly<QueuedRequest>;
  private saved: Checkpoints;

  constructor(
    job: ConsultationJob,
    private readonly save: (job: ConsultationJob) => Promise<void>,
    logger: Logger,
    attempt = 1,
  ) {
    this.request = job.request;
    this.saved = job.checkpoints;
    this.log = logger.child({
      requestId: job.request.requestId,
      trigger: job.request.trigger,
      agent: job.request.agentName,
      teamId: job.request.teamId,
      channelId: job.request.channelId,
      attempt,
    });
  }

  /** The run of a BullMQ job; job data that does not parse is dropped without retries. */
  static fromJob(job: Job, logger: Logger): ConsultationRun {
    const parsed = ConsultationJobSchema.safeParse(job.data);
    if (!parsed.success) {
      logger.error(
        { jobId: job.id, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
        'malformed consultation job data; dropping it',
      );
      throw new UnrecoverableError('malformed consultation job data');
    }
    return new ConsultationRun(parsed.data, (data) => job.updateData(data), logger, job.attemptsMade + 1);
  }

  /** What this and earlier attempts have done so far. */
  get checkpoints(): Readonly<Checkpoints> {
    return this.saved;
  }

  /** The thread the review goes into: the one the worker started or found, else the request's own. */
  get threadTs(): string | undefined {
    return this.saved.threadTs ?? this.request.threadTs;
  }

  /** Saves a checkpoint; `undefined` clears one. */
  async checkpoint(patch: Partial<Checkpoints>): Promise<void> {
    this.saved = { ...this.saved, ...patch };
    await this.save({ request: this.request, checkpoints: this.saved });
  }
}
