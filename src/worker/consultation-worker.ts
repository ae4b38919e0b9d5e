import { type Job, WaitingError, Worker } from 'bullmq';
import { errorMessage } from '../lib/error-message';
import { withTimeout } from '../lib/with-timeout';
import type { Logger } from '../logger';
import { consultationLogFields } from '../observability/log-fields';
import {
  CONSULTATION_QUEUE,
  ConsultationJobSchema,
  type JobRetention,
  requestPartOf,
} from '../queue/consultation-job';
import { workerConnectionOptions } from '../stores/redis-connections';
import { ConsultationRun } from './consultation-run';
import { type ConsultationOutcome, processConsultation } from './process-consultation';
import { reportGaveUp } from './review-thread';
import type { WorkerDeps } from './worker-deps';
import { depsForJob } from './workspace-deps';

/** Finished jobs are kept within JobRetention also for jobs added without it (another producer, an older release). */
export interface ConsultationWorkerOptions extends JobRetention {
  /** Redis the worker opens its own (blocking) connection to; from REDIS_URL. */
  redisUrl: string;
  /** Key prefix of the queue's keys in Redis; the producer must use the same one (QUEUE_PREFIX). */
  prefix: string;
  /** Consultations this worker runs at once; they wait on Claude and Slack, not the CPU (WORKER_CONCURRENCY). */
  concurrency: number;
  /** How long a running consultation may take to finish when the process is asked to stop. */
  shutdownTimeoutMs: number;
  /**
   * A job's lock lasts this long and is renewed at half of it; a worker that dies loses the lock, and the
   * stalled-job check (every `stalledIntervalMs`) hands the job to another worker: recovery in seconds.
   */
  lockDurationMs: number;
  /** How often this worker looks for jobs whose lock expired, i.e. whose worker died (STALLED_INTERVAL_MS). */
  stalledIntervalMs: number;
  /** Times a job may be taken over after its worker died before it is failed (MAX_STALLED_COUNT). */
  maxStalledCount: number;
}

/** The BullMQ worker that runs consultations, with logging and a bounded shutdown. */
export class ConsultationWorker {
  private readonly worker: Worker;
  private readonly logger: Logger;

  constructor(
    private readonly options: ConsultationWorkerOptions,
    deps: WorkerDeps,
  ) {
    this.logger = deps.logger.child({ component: 'worker' });
    this.worker = new Worker<unknown, ConsultationOutcome>(
      CONSULTATION_QUEUE,
      (job, token, signal) => this.process(job, deps, token, signal),
      {
        connection: workerConnectionOptions(options.redisUrl),
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.stalledIntervalMs,
        maxStalledCount: options.maxStalledCount,
        removeOnComplete: options.keepCompleted,
        removeOnFail: options.keepFailed,
        autorun: false,
      },
    );
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const attempts = job.opts.attempts ?? 1;
      const final = job.attemptsMade >= attempts || error.name === 'UnrecoverableError';
      this.logger.error(
        {
          ...consultationLogFields(requestPartOf(job.data)),
          jobId: job.id,
          attempt: job.attemptsMade,
          final,
          err: error.message,
        },
        'consultation attempt failed',
      );
      if (final) {
        const data = ConsultationJobSchema.safeParse(job.data);
        if (!data.success) return;
        depsForJob(data.data.request, deps)
          .then((jobDeps) => (jobDeps ? reportGaveUp(jobDeps.slack, data.data) : undefined))
          .catch((e: unknown) =>
            this.logger.error(
              {
                ...consultationLogFields(requestPartOf(job.data)),
                jobId: job.id,
                err: errorMessage(e),
              },
              'could not report failure to Slack',
            ),
          );
      }
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error.message }, 'worker connection error'));
  }

  /**
   * Runs one job. A job cancelled because the process is stopping goes back to the queue untouched,
   * for another worker to finish: the user sees one review, later, never an error.
   */
  private async process(
    job: Job,
    deps: WorkerDeps,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ) {
    try {
      // Measured from outside so that every return and throw is counted once, with its outcome.
      const consult = async (): Promise<ConsultationOutcome> => {
        const run = ConsultationRun.fromJob(job, deps.logger);
        const jobDeps = await depsForJob(run.request, deps);
        if (jobDeps) return processConsultation(run, jobDeps, signal);
        run.log.info('the workspace uninstalled Architect; consultation dropped');
        return 'uninstalled';
      };
      return await (deps.metrics ? deps.metrics.observeConsultation(job, consult) : consult());
    } catch (error) {
      if (!signal?.aborted || !token) throw error;
      this.logger.info({ jobId: job.id }, 'handing the consultation back to the queue');
      await job.moveToWait(token);
      throw new WaitingError();
    }
  }

  /**
   * Starts taking jobs. It does not wait for Redis: a worker started while Redis is down connects
   * when Redis comes back, and /readyz reports the gap meanwhile.
   */
  start(): void {
    this.worker.run().catch((error: unknown) => {
      this.logger.error({ err: errorMessage(error) }, 'worker stopped unexpectedly');
    });
  }

  /**
   * Stops taking jobs and lets running ones finish within the shutdown timeout; the rest are cancelled
   * and handed back to the queue. `worker.close()` waits forever when Redis is gone, so every step has a
   * deadline; a job that could not even be handed back is picked up again as stalled.
   */
  async close(): Promise<void> {
    const closing = this.worker.close();
    try {
      await withTimeout(
        closing,
        this.options.shutdownTimeoutMs,
        'running consultations did not finish in time',
      );
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'cancelling running consultations');
      this.worker.cancelAllJobs('the worker is stopping');
      await withTimeout(closing, 5000, 'cancelled consultations did not stop in time').catch(async () => {
        await withTimeout(this.worker.close(true), 2000, 'forced close timed out').catch(() => undefined);
      });
    }
  }
}
