import type { Agent } from '../../agents/agent';
import type { Progress } from '../../rendering/progress-message';
import { planTitle } from '../../rendering/task-cards';
import { atPriority } from '../../slack/call-priority';
import type { ConsultationRun } from '../consultation-run';
import type { OpenedThread } from '../open-thread';
import type { RunContext } from '../stage-context';
import type { WorkerDeps } from '../worker-deps';
import { ConsultationSteps } from './consultation-steps';
import { DEFAULT_PROGRESS_INTERVAL_MS, ProgressReporter } from './progress-reporter';
import { SummaryStream } from './summary-stream';
import { TaskCards } from './task-cards';

/**
 * What a person sees while a consultation runs: the status line, the placeholder's phases, the stages
 * as task cards and the summary streamed as Claude writes it. `read()` tells what the thread held once
 * it is read; `stop()` ends the updates before the placeholder's final content goes in; `fail()` ends
 * the card under way with the reason; `clear()` then removes the streams and the status line.
 */
export interface ConsultationProgress {
  report(progress: Progress): void;
  read(found: { messages: number; files: number; filesNotRead: number; unreadNote?: string }): void;
  stop(): Promise<void>;
  fail(reason: string): Promise<void>;
  clear(): Promise<void>;
}

export async function startProgress(
  { run, deps, thread }: RunContext,
  opened: OpenedThread,
  agent: Agent,
): Promise<ConsultationProgress> {
  const { channelId, userId, teamId } = run.request;
  await thread.showStatus(opened.threadTs);
  const steps = await startSteps(run, deps, opened, agent);
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
  // The progress messages (cards, streamed summary) go as the review is posted, so the thread never
  // shows both; but a delete takes chat.delete's budget (50 a minute per workspace), which the review
  // must never wait for: when the budget is short they go right after it instead, as progress.
  const discard = async () => {
    await stream?.discard();
    await steps?.discard();
  };
  thread.beforeDelivery(async () => {
    await steps?.delivered();
    await atPriority('progress', discard, { noWait: true });
  });
  const reporter = new ProgressReporter({
    slack: deps.slack,
    channel: channelId,
    placeholderTs: opened.placeholderTs,
    agentName: agent.name,
    intervalMs: deps.context?.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    log: run.log,
    ...(stream ? { stream } : {}),
  });
  let failed = false;
  return {
    report: (progress) => {
      if (progress.phase === 'thinking') steps?.thinking();
      reporter.report(progress);
    },
    read: (found) => steps?.read(found),
    stop: async () => {
      await reporter.close();
      await steps?.answered();
    },
    fail: async (reason) => {
      failed = true;
      await steps?.failed(reason);
    },
    clear: async () => {
      await reporter.close();
      if (!failed) await steps?.delivered();
      // The streamed summary and the steps were progress: the review (or the failure) replaces them.
      // After a review their removal is progress too; before a failure message it is on that one's way.
      await (failed ? discard() : atPriority('progress', discard));
      await thread.clearStatus(opened.threadTs);
    },
  };
}

/**
 * The stages as task cards, when streaming is on: a steps message an earlier attempt left behind goes
 * first. Slack needs the requester and their workspace to stream in a channel, so both are passed.
 */
async function startSteps(
  run: ConsultationRun,
  deps: Pick<WorkerDeps, 'slack' | 'context'>,
  opened: OpenedThread,
  agent: Agent,
): Promise<ConsultationSteps | undefined> {
  const { channelId, userId, teamId } = run.request;
  const { stepsTs } = run.checkpoints;
  if (stepsTs) {
    await deps.slack.chat.delete({ channel: channelId, ts: stepsTs }).catch(() => undefined);
    await run.checkpoint({ stepsTs: undefined });
  }
  if (!deps.context?.streaming || !teamId) return undefined;
  const cards = new TaskCards(
    {
      slack: deps.slack,
      channel: channelId,
      threadTs: opened.threadTs,
      recipient: { userId, teamId },
    },
    {
      planTitle: planTitle(agent.name),
      log: run.log,
      onMessage: (ts) => run.checkpoint({ stepsTs: ts }),
    },
  );
  const steps = new ConsultationSteps(cards, agent.name);
  await steps.begin();
  return steps;
}
