import type { Agent } from '../agents/agent';
import type { ConsultationRun } from './consultation-run';
import type { OpenedThread } from './open-thread';
import type { ConsultationProgress } from './progress/consultation-progress';
import type { ReviewThread } from './review-thread';
import type { WorkerDeps } from './worker-deps';

/** What the first stages of a run share: built once, when the run starts. */
export interface RunContext {
  run: ConsultationRun;
  deps: WorkerDeps;
  /** Every message the run writes in its thread goes through here. */
  thread: ReviewThread;
  /** Aborted when the process stops: the job goes back to the queue for another worker. */
  signal?: AbortSignal | undefined;
}

/** What every stage after the thread is open shares: the thread, the agent and the progress display. */
export interface StageContext extends RunContext {
  opened: OpenedThread;
  agent: Agent;
  progress: ConsultationProgress;
}
