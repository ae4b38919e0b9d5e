import { precedentQuery } from '../adr/precedent';
import {
  type PreparedContext,
  prepareContextWithPrecedent,
  sharedFiles,
} from '../consultation/consultation-context';
import type { NamedThreadMessage } from '../consultation/prompt';
import { DEFAULT_CONTEXT_TOKEN_BUDGET } from '../consultation/token-budget';
import type { KnownAdr } from '../domain/known-adr';
import type { GroundedReview } from '../domain/review';
import type { ThreadMessage } from '../slack/thread-reader';
import type { StageContext } from './stage-context';

export interface GatheredContext extends PreparedContext {
  /** Messages read from the thread (before the token budget). */
  threadMessages: number;
  /** The team's ADRs Claude was shown: a finding citing one of them is grounded by it. */
  adrs?: KnownAdr[];
  /** A follow-up's previous review: Claude writes only what changed, merged into it (review-delta.ts). */
  refines?: GroundedReview;
}

/**
 * The second stage: reads the thread (or the one reacted-to message) with names, and fits it, its
 * files and the request into the token budget as Claude's system prompt and turns.
 */
export async function gatherContext(stage: StageContext): Promise<GatheredContext> {
  const { run, deps, opened, agent, progress } = stage;
  const data = run.request;
  const thread = opened.reacted ? [opened.reacted] : (opened.viewed?.messages ?? (await readThread(stage)));
  const names = await deps.users.displayNames([
    data.userId,
    ...thread.flatMap((m) => (m.userId ? [m.userId] : [])),
  ]);
  const named: NamedThreadMessage[] = thread.map((m) => ({
    ...m,
    authorName: m.fromThisBot ? agent.name : (names.get(m.userId ?? '') ?? m.userId ?? 'someone'),
  }));

  progress.report({ phase: 'reading', messages: thread.length, files: sharedFiles(thread) });
  // The thread shows only the previous reply's summary; a follow-up builds on the whole of it.
  const previous = data.previousRequestId ? await deps.reviews.get(data.previousRequestId) : undefined;
  const tokenBudget = deps.context?.tokenBudget ?? DEFAULT_CONTEXT_TOKEN_BUDGET;
  const context = await prepareContextWithPrecedent(
    {
      agentPrompt: agent.systemPrompt,
      thread: named,
      request: {
        trigger: data.trigger,
        requesterName: names.get(data.userId) ?? data.userId,
        text: data.text,
        ...(data.askedForReview ? { askedForReview: true } : {}),
        ...(data.answers ? { answers: data.answers } : {}),
        ...(data.answeredQuestions ? { answeredQuestions: data.answeredQuestions } : {}),
        ...(previous?.review
          ? { previousReview: { agentName: previous.agentName, review: previous.review } }
          : {}),
        ...(opened.viewed ? { contextLabel: opened.viewed.label } : {}),
      },
      settings: {
        tokenBudget,
        files: deps.context?.files,
        ...(deps.context?.cacheTtl ? { cacheTtl: deps.context.cacheTtl } : {}),
      },
    },
    {
      source: deps.precedent,
      query: precedentQuery(
        data.text,
        thread.map((m) => m.text),
      ),
    },
  );
  const unreadNote = context.notes.find((n) => n.startsWith('files not read: '));
  progress.read({
    messages: thread.length,
    files: sharedFiles(thread),
    filesNotRead: context.stats.filesNotRead,
    ...(unreadNote ? { unreadNote: unreadNote.slice('files not read: '.length) } : {}),
  });
  const refines = data.trigger === 'followup' ? previous?.review : undefined;
  return { ...context, threadMessages: thread.length, ...(refines ? { refines } : {}) };
}

/** The thread without the messages the request restates as its last turn, nor the bot's progress. */
async function readThread({ run, deps, opened }: StageContext): Promise<ThreadMessage[]> {
  const data = run.request;
  const thread = await deps.reader.readThread(data.channelId, opened.threadTs);
  // The request is restated in full as the last turn (a command's root shows only its start).
  const restated = new Set([
    opened.placeholderTs,
    data.trigger === 'command' ? opened.threadTs : data.messageTs,
    run.checkpoints.answersTs,
    // The steps message (task cards) is this consultation's own progress, not part of the discussion.
    run.checkpoints.stepsTs,
  ]);
  // A restated message's files still count: it stays, without the text the request repeats.
  return thread.flatMap((m) =>
    !restated.has(m.ts) ? [m] : m.files?.length && !m.fromThisBot ? [{ ...m, text: '' }] : [],
  );
}
