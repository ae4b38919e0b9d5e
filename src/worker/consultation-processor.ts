import type { WebClient } from '@slack/web-api';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Agent } from '../agents/agent';
import type { ClaudeConsultant } from '../consultation/claude-consultant';
import { ConsultationError } from '../consultation/claude-consultant';
import { prepareContext, sharedFiles } from '../consultation/consultation-context';
import type { NamedThreadMessage } from '../consultation/prompt';
import type { ClarifyingQuestion } from '../consultation/review';
import type { ThreadFileReader } from '../consultation/thread-files';
import { ON_BEHALF_EVENT_TYPE, type ThreadMessage, type ThreadReader } from '../consultation/thread-reader';
import { DEFAULT_CONTEXT_TOKEN_BUDGET } from '../consultation/token-budget';
import type { UserDirectory } from '../consultation/user-directory';
import type { Logger } from '../logger';
import { consultationLogFields } from '../observability/log-fields';
import type { ArchitectMetrics } from '../observability/metrics';
import { type ConsultationJob, ConsultationJobSchema } from '../queue/consultation-job';
import { renderAnswers } from '../rendering/answers-message';
import { renderReview } from '../rendering/review-message';
import { renderFailure, renderPlaceholder, renderRequestRoot } from '../rendering/status-messages';
import type { ReviewStore } from '../reviews/review-store';
import type { UserReviews } from '../reviews/user-reviews';
import type { ResponseUrlClient } from '../slack/response-url';
import {
  clearWorkingStatus,
  DEFAULT_PROGRESS_INTERVAL_MS,
  ProgressReporter,
  showWorkingStatus,
  summaryOf,
} from './progress-reporter';
import { SummaryStream, summaryInPartialJson } from './summary-stream';
import { deleteLeftover, deliver, postMessage, updateMessage } from './thread-messages';

export interface ProcessorDeps {
  slack: WebClient;
  reader: ThreadReader;
  users: UserDirectory;
  agents: { get(name: string): Agent | undefined; list(): Agent[] };
  consultant: ClaudeConsultant;
  reviews: ReviewStore;
  logger: Logger;
  /**
   * Files, context budget and progress updates; without it no file is read, the budget is 120k tokens.
   * `streaming` streams the summary with Slack's streaming methods (STREAMING_ENABLED).
   */
  context?: {
    files?: ThreadFileReader;
    tokenBudget: number;
    progressIntervalMs: number;
    streaming?: boolean;
  };
  /** Consultation outcomes, timings and tokens for GET /metrics. */
  metrics?: ArchitectMetrics;
  /** Each delivered review is recorded for its requester's Home tab. */
  userReviews?: Pick<UserReviews, 'add'>;
  /** Adds each consultation's tokens to its workspace's daily spend (DAILY_TOKEN_BUDGET_PER_TEAM). */
  costGuard?: { recordTokens(teamId: string, tokens: number): Promise<void> };
  /** Reaches a slash command's author even where the bot cannot post. */
  responseUrls?: Pick<ResponseUrlClient, 'sendEphemeral'>;
}

/** How a consultation ended, returned as the job's result. */
export type ConsultationOutcome = 'delivered' | 'already_delivered' | 'failed';

/**
 * Runs one consultation: root message (for a slash command), placeholder, thread context, Claude,
 * rendering, delivery. Every Slack message it creates is recorded in the job's data before moving on,
 * so a job retried after a crash updates the same messages and never posts a second review.
 */
export async function processConsultation(
  job: Job,
  deps: ProcessorDeps,
  signal?: AbortSignal,
): Promise<ConsultationOutcome> {
  // Measured from outside so that every return and throw below is counted once, with its outcome.
  const run = () => runConsultation(job, deps, signal);
  return deps.metrics ? deps.metrics.observeConsultation(job, run) : run();
}

async function runConsultation(
  job: Job,
  deps: ProcessorDeps,
  signal: AbortSignal | undefined,
): Promise<ConsultationOutcome> {
  const parsed = ConsultationJobSchema.safeParse(job.data);
  if (!parsed.success) {
    deps.logger.error(
      { jobId: job.id, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      'malformed consultation job data; dropping it',
    );
    throw new UnrecoverableError('malformed consultation job data');
  }
  let data = parsed.data;
  const log = deps.logger.child({
    requestId: data.requestId,
    trigger: data.trigger,
    agent: data.agentName,
    teamId: data.teamId,
    channelId: data.channelId,
    attempt: job.attemptsMade + 1,
  });
  const remember = async (patch: Partial<ConsultationJob>) => {
    data = { ...data, ...patch };
    await job.updateData(data);
  };

  // A summary stream an earlier attempt left behind goes: the placeholder alone holds progress or review.
  if (data.streamTs) {
    await deleteLeftover(deps.slack, data.channelId, data.streamTs, log);
    await remember({ streamTs: undefined });
  }

  // Checked before anything is posted or updated: a delivered review must never be overwritten.
  if (data.deliveredTs?.length) {
    log.info('review already delivered by an earlier attempt');
    return 'already_delivered';
  }

  const agent = deps.agents.get(data.agentName);
  const target = await resolveTarget(deps, data);
  if ('problem' in target) {
    log.warn({ problem: target.problem }, 'the consultation cannot go ahead');
    await tellRequester(deps, data, target.problem);
    return 'failed';
  }
  const { threadTs } = target;
  if (data.threadTs !== threadTs) await remember({ threadTs });

  if (data.trigger === 'followup' && data.answers?.length && !data.answersTs) {
    const answersTs = await postMessage(
      deps.slack,
      data.channelId,
      threadTs,
      renderAnswers({ userId: data.userId, answers: data.answers }),
      {
        event_type: ON_BEHALF_EVENT_TYPE,
        event_payload: { user_id: data.userId },
      },
    );
    await remember({ answersTs });
  }
  if (data.trigger === 'followup' && !data.rerun) {
    log.info('answers posted; no refined review asked for');
    return 'delivered';
  }

  let placeholderTs = data.placeholderTs;
  if (placeholderTs) {
    await updateMessage(deps.slack, data.channelId, placeholderTs, renderPlaceholder(data.agentName));
  } else {
    placeholderTs = await postMessage(
      deps.slack,
      data.channelId,
      threadTs,
      renderPlaceholder(data.agentName),
    );
    await remember({ placeholderTs });
  }
  const fail = async (reason: string, retryable: boolean) => {
    await updateMessage(
      deps.slack,
      data.channelId,
      placeholderTs,
      renderFailure({
        agentName: data.agentName,
        reason,
        ...(retryable ? { retryValue: data.requestId } : {}),
      }),
    );
    await remember({ deliveredTs: [placeholderTs] });
    return 'failed' as const;
  };

  if (!agent) {
    log.warn('agent no longer loaded');
    return fail(
      `The agent “${data.agentName}” is no longer available. Ask again to use another agent.`,
      false,
    );
  }

  const where = { channel: data.channelId, threadTs };
  await showWorkingStatus(deps.slack, where, log);
  // Slack streams into a channel only for a named recipient: the requester, in their workspace.
  const stream =
    deps.context?.streaming && data.teamId
      ? new SummaryStream({
          slack: deps.slack,
          channel: data.channelId,
          threadTs,
          recipientUserId: data.userId,
          recipientTeamId: data.teamId,
          log,
          onMessage: (streamTs) => remember({ streamTs }),
        })
      : undefined;
  const progress = new ProgressReporter({
    slack: deps.slack,
    channel: data.channelId,
    placeholderTs,
    agentName: agent.name,
    intervalMs: deps.context?.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    log,
    ...(stream ? { stream } : {}),
  });
  const thread = target.reacted
    ? [target.reacted]
    : await readThreadContext(deps, data, threadTs, placeholderTs);
  const names = await deps.users.displayNames([
    data.userId,
    ...thread.flatMap((m) => (m.userId ? [m.userId] : [])),
  ]);
  const named: NamedThreadMessage[] = thread.map((m) => ({
    ...m,
    authorName: m.fromThisBot ? agent.name : (names.get(m.userId ?? '') ?? m.userId ?? 'someone'),
  }));

  progress.report({ phase: 'reading', messages: thread.length, files: sharedFiles(thread) });
  const context = await prepareContext({
    agentPrompt: agent.systemPrompt,
    thread: named,
    request: {
      trigger: data.trigger,
      requesterName: names.get(data.userId) ?? data.userId,
      text: data.text,
      ...(data.answers ? { answers: data.answers } : {}),
      ...(data.answeredQuestions ? { answeredQuestions: data.answeredQuestions } : {}),
    },
    settings: {
      tokenBudget: deps.context?.tokenBudget ?? DEFAULT_CONTEXT_TOKEN_BUDGET,
      files: deps.context?.files,
    },
  });
  progress.report({ phase: 'thinking' });

  log.info({ threadMessages: thread.length, model: agent.model, ...context.stats }, 'consulting Claude');
  const startedAt = Date.now();
  try {
    const outcome = await deps.consultant.consult({
      ...(signal ? { signal } : {}),
      model: agent.model,
      system: context.system,
      messages: context.messages,
      onPartialReview: (partial, json) => {
        const summary = summaryInPartialJson(json);
        progress.report({
          phase: 'writing',
          summary: summary?.text ?? summaryOf(partial),
          summaryDone: summary?.complete ?? false,
        });
      },
    });
    await progress.close();
    deps.metrics?.recordClaude(outcome.model, Date.now() - startedAt, outcome.usage);
    const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = outcome.usage;
    await deps.costGuard
      ?.recordTokens(data.teamId, inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens)
      .catch((e: unknown) =>
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not record token spend'),
      );
    const answered = data.answeredQuestions ?? [];
    const review = {
      ...outcome.review,
      clarifyingQuestions: withoutAnswered(outcome.review.clarifyingQuestions, answered),
    };
    const messages = renderReview(review, {
      requestId: data.requestId,
      agentName: agent.name,
      model: outcome.model,
      durationMs: Date.now() - data.requestedAt,
      usage: outcome.usage,
      notes: context.notes,
      otherAgents: deps.agents
        .list()
        .map((a) => a.name)
        .filter((name) => name !== agent.name),
    });
    // Saved before delivery: the buttons must find their review the moment they appear.
    await deps.reviews.save({
      requestId: data.requestId,
      teamId: data.teamId,
      channelId: data.channelId,
      threadTs,
      agentName: agent.name,
      summary: review.summary,
      questions: review.clarifyingQuestions,
      answered,
      userId: data.userId,
      createdAt: Date.now(),
    });
    const delivered = await deliver(deps.slack, data.channelId, threadTs, placeholderTs, messages);
    await remember({ deliveredTs: delivered });
    // The streamed summary was progress: the review in the placeholder replaces it.
    await stream?.discard();
    await clearWorkingStatus(deps.slack, where, log);
    // The Home tab's list is a convenience: failing to update it must not fail a delivered review.
    await deps.userReviews
      ?.add({ teamId: data.teamId, userId: data.userId, requestId: data.requestId, deliveredAt: Date.now() })
      .catch((e: unknown) =>
        log.warn(
          { err: e instanceof Error ? e.message : String(e) },
          'could not add the review to the Home tab',
        ),
      );
    log.info(
      {
        modelMs: Date.now() - startedAt,
        totalMs: Date.now() - data.requestedAt,
        messages: delivered.length,
        ...outcome.usage,
      },
      'review delivered',
    );
    return 'delivered';
  } catch (error) {
    await progress.close();
    await stream?.discard();
    await clearWorkingStatus(deps.slack, where, log);
    // A cancelled job goes back to the queue; it has not failed.
    if (!(error instanceof ConsultationError) || signal?.aborted) throw error;
    log.warn(
      { code: error.code, err: error.cause instanceof Error ? error.cause.message : undefined },
      'consultation failed',
    );
    return fail(error.userMessage, true);
  }
}

/** Drops questions the thread has already answered, compared without case, spacing or punctuation. */
function withoutAnswered(questions: ClarifyingQuestion[], answered: string[]): ClarifyingQuestion[] {
  const normalize = (q: string) =>
    q
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const done = new Set(answered.map(normalize));
  return questions.filter((q) => !done.has(normalize(q.question)));
}

/** Posts the plain-language error in place of the placeholder once BullMQ has given up on a job. */
export async function reportGaveUp(job: Job, slack: WebClient): Promise<void> {
  const parsed = ConsultationJobSchema.safeParse(job.data);
  if (parsed.success && parsed.data.streamTs) {
    await slack.chat
      .delete({ channel: parsed.data.channelId, ts: parsed.data.streamTs })
      .catch(() => undefined);
  }
  if (!parsed.success || !parsed.data.placeholderTs || parsed.data.deliveredTs?.length) return;
  const d = parsed.data;
  await updateMessage(
    slack,
    d.channelId,
    parsed.data.placeholderTs,
    renderFailure({
      agentName: d.agentName,
      reason: 'Something went wrong on our side while preparing this review, and retrying did not help.',
      retryValue: d.requestId,
    }),
  );
}

/**
 * Where the review goes: a command's new thread (its root posted once), a mention's thread, or the
 * thread of the message a reaction was put on. Undefined when that message cannot be read.
 */
async function resolveTarget(
  deps: ProcessorDeps,
  data: ConsultationJob,
): Promise<{ threadTs: string; reacted?: ThreadMessage } | { problem: string }> {
  try {
    if (data.trigger === 'command') return { threadTs: data.threadTs ?? (await postRoot(deps.slack, data)) };
    if (data.trigger !== 'reaction') {
      return data.threadTs
        ? { threadTs: data.threadTs }
        : { problem: 'This request names no thread to answer in.' };
    }
    const reacted = data.messageTs
      ? await deps.reader.readMessage(data.channelId, data.messageTs)
      : undefined;
    if (reacted) return { threadTs: reacted.threadTs ?? reacted.ts, reacted };
    return { problem: 'I could not read the message you asked me to review: it may have been deleted.' };
  } catch (error) {
    // Retrying cannot help when the bot is not allowed in the channel; the person can fix it at once.
    if (CHANNEL_CLOSED_ERRORS.has(slackErrorCode(error) ?? '')) {
      return { problem: 'I can’t post in this channel. Invite me with `/invite @Architect` and ask again.' };
    }
    throw error;
  }
}

/** Slack errors that mean the bot cannot read or post in the channel at all. */
const CHANNEL_CLOSED_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } }).data?.error;
  return typeof code === 'string' ? code : undefined;
}

async function readThreadContext(
  deps: ProcessorDeps,
  data: ConsultationJob,
  threadTs: string,
  placeholderTs: string,
): Promise<ThreadMessage[]> {
  const thread = await deps.reader.readThread(data.channelId, threadTs);
  // The request itself is restated as the last turn (in full, for a command whose root shows only its start).
  const restated = new Set([
    placeholderTs,
    data.trigger === 'command' ? threadTs : data.messageTs,
    data.answersTs,
  ]);
  // A restated message's files still count: it stays, without the text the request repeats.
  return thread.flatMap((m) =>
    !restated.has(m.ts) ? [m] : m.files?.length && !m.fromThisBot ? [{ ...m, text: '' }] : [],
  );
}

/** An ephemeral note to the person who asked: through the command's response_url when there is one. */
async function tellRequester(deps: ProcessorDeps, data: ConsultationJob, text: string): Promise<void> {
  if (
    data.responseUrl &&
    deps.responseUrls &&
    (await deps.responseUrls.sendEphemeral(data.responseUrl, text))
  )
    return;
  await deps.slack.chat
    .postEphemeral({ channel: data.channelId, user: data.userId, text })
    .catch((e: unknown) =>
      deps.logger.warn(
        { ...consultationLogFields(data), err: e instanceof Error ? e.message : String(e) },
        'could not tell the requester',
      ),
    );
}

async function postRoot(slack: WebClient, data: ConsultationJob): Promise<string> {
  const root = renderRequestRoot({ userId: data.userId, text: data.text, agentName: data.agentName });
  return postMessage(slack, data.channelId, undefined, root);
}
