import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from '../logger';
import { type ConsultationJob, ConsultationJobSchema } from '../queue/consultation-job';

/** How a consultation ended, returned as the job's result. */
export type ConsultationOutcome = 'delivered' | 'already_delivered' | 'failed' | 'uninstalled';

/** What a run writes back into its job so that a retried attempt resumes instead of repeating. */
export type Checkpoint = Partial<
  Pick<
    ConsultationJob,
    'threadTs' | 'placeholderTs' | 'streamTs' | 'deliveredTs' | 'answersTs' | 'reply' | 'replyTs' | 'stepsTs'
  >
>;

/**
 * One attempt at a consultation: the job's data, parsed once, and its checkpoints (what was posted
 * where), each saved to the job before the run moves on. A test builds one from plain data.
 */
export class ConsultationRun {
  readonly log: Logger;
  private current: ConsultationJob;

  constructor(
    data: ConsultationJob,
    private readonly save: (data: ConsultationJob) => Promise<void>,
    logger: Logger,
    attempt = 1,
  ) {
    this.current = data;
    this.log = logger.child({
      requestId: data.requestId,
      trigger: data.trigger,
      agent: data.agentName,
      teamId: data.teamId,
      channelId: data.channelId,
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

  get data(): Readonly<ConsultationJob> {
    return this.current;
  }

  /** Saves a checkpoint; `undefined` clears one. */
  async checkpoint(patch: Checkpoint): Promise<void> {
    this.current = { ...this.current, ...patch };
    await this.save(this.current);
  }
}
