import type { Agent } from '../../agents/agent';
import type { Progress } from '../../rendering/progress-message';
import type { ConsultationRun } from '../consultation-run';
import type { OpenedThread } from '../open-thread';
import type { ReviewThread } from '../review-thread';
import type { WorkerDeps } from '../worker-deps';
import { DEFAULT_PROGRESS_INTERVAL_MS, ProgressReporter } from './progress-reporter';
import { SummaryStream } from './summary-stream';

/**
 * What a person sees while a consultation runs: the status line, the placeholder's phases and the
 * summary streamed as Claude writes it. `stop()` ends the updates before the placeholder's final
 * content goes in; `clear()` then removes the stream and the status line.
 */
export interface ConsultationProgress {
  report(progress: Progress): void;
  stop(): Promise<void>;
  clear(): Promise<void>;
}

export async function startProgress(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'slack' | 'context'>,
  thread: ReviewThread,
  opened: OpenedThread,
  agent: Agent,
): Promise<ConsultationProgress> {
  const { channelId, userId, teamId } = run.data;
  await thread.showStatus(opened.threadTs);
  // Slack streams into a channel only for a named recipient: the requester, in their workspace.
  const stream =
    deps.context?.streaming && teamId
      ? new SummaryStream({
          slack: deps.slack,
          channel: channelId,
          threadTs: opened.threadTs,
          recipientUserId: userId,
          recipientTeamId: teamId,
          log: run.log,
          onMessage: (streamTs) => run.checkpoint({ streamTs }),
        })
      : undefined;
  const reporter = new ProgressReporter({
    slack: deps.slack,
    channel: channelId,
    placeholderTs: opened.placeholderTs,
    agentName: agent.name,
    intervalMs: deps.context?.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    log: run.log,
    ...(stream ? { stream } : {}),
  });
  return {
    report: (progress) => reporter.report(progress),
    stop: () => reporter.close(),
    clear: async () => {
      await reporter.close();
      // The streamed summary was progress: the review (or the failure) in the placeholder replaces it.
      await stream?.discard();
      await thread.clearStatus(opened.threadTs);
    },
  };
}
