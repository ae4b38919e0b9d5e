import { type PrecedentSource, precedentQuery } from '../adr/precedent';
import type { Agent } from '../agents/agent';
import type { ClaudeConsultant } from '../consultation/claude-consultant';
import { type ConsultedReview, consultReview } from '../consultation/consult-review';
import { prepareContextWithPrecedent } from '../consultation/consultation-context';
import { isRead } from '../consultation/files';
import { localFileBlocks, PreparedFiles } from '../consultation/files/local-file';
import type { FileLimits } from '../consultation/files/which-files';
import { sourceTextOf } from '../consultation/grounding';
import type { NamedThreadMessage } from '../consultation/prompt';
import { renderReviewMarkdown } from '../rendering/review-markdown';
import { CliError } from './cli-error';
import type { DesignInput } from './read-input';

/** Who the design comes from, as the prompt names the requester; there is no Slack user here. */
const AUTHOR = 'the author';

/**
 * Reviews one design document without Slack or Redis: the file becomes the one message of a thread,
 * shared as Slack would share it, and the request is the review emoji's ("review the message above"),
 * so the agent's prompt, the reply rules, the token budget and the evidence check are the worker's own,
 * and so are the team's ADRs as precedent when `precedent` is given.
 */
export async function reviewDesign(
  consultant: Pick<ClaudeConsultant, 'consult'>,
  input: {
    design: DesignInput;
    /** More files shared beside the design (an MCP client's `files`): Claude sees them after it. */
    files?: readonly DesignInput[];
    /** What the review should focus on ("failure modes"), asked as the message shortcut's form asks it. */
    focus?: string;
    agent: Agent;
    model: string;
    context: { tokenBudget: number; files: Pick<FileLimits, 'maxBytes' | 'textTokenBudget'> };
    /** The team's ADRs, given to Claude as the worker gives them; none when absent. */
    precedent?: PrecedentSource;
    onPartialReview?: (partial: unknown, json: string) => void;
    signal?: AbortSignal;
  },
): Promise<ConsultedReview> {
  const read = localFileBlocks(input.design.name, input.design.bytes, input.context.files);
  if (!isRead(read)) throw new CliError(`cannot review ${input.design.name}: ${read.reason}`);
  const others = (input.files ?? []).map((file) => {
    const other = localFileBlocks(file.name, file.bytes, input.context.files);
    if (!isRead(other)) throw new CliError(`cannot include ${file.name}: ${other.reason}`);
    return other;
  });
  const focus = input.focus?.trim() ?? '';
  const message: NamedThreadMessage = {
    ts: '1',
    threadTs: undefined,
    userId: undefined,
    fromThisBot: false,
    fromOtherBot: false,
    text: '',
    files: [read.file, ...others.map((o) => o.file)],
    authorName: AUTHOR,
  };
  const context = await prepareContextWithPrecedent(
    {
      agentPrompt: input.agent.systemPrompt,
      thread: [message],
      // A focus is the shortcut's "what to focus on"; without one, the review emoji's request, word for word.
      request: { trigger: focus ? 'shortcut' : 'reaction', requesterName: AUTHOR, text: focus },
      settings: {
        tokenBudget: input.context.tokenBudget,
        files: new PreparedFiles([read, ...others]),
        surface: 'document',
      },
    },
    {
      source: input.precedent,
      // The design is the thread's one message, though its words are in the file, not the message's
      // text: the related ADRs are found by the file's text (none for a PDF or an image: the index only).
      query: precedentQuery(focus, [sourceTextOf([{ role: 'user', content: read.blocks }])]),
    },
  );
  if (context.stats.filesRead === 0) {
    throw new CliError(`cannot review ${input.design.name}: ${context.notes[0] ?? 'it could not be read'}`);
  }
  return consultReview(consultant, {
    model: input.model,
    context,
    adrs: context.adrs,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onPartialReview ? { onPartialReview: input.onPartialReview } : {}),
  });
}

/** The review as `architect review` prints it (and the MCP tool returns it): Markdown with its context line. */
export function consultedReviewMarkdown(result: ConsultedReview, agentName: string): string {
  return renderReviewMarkdown(result.review, {
    agentName,
    model: result.model,
    durationMs: result.claudeMs,
    asOf: result.asOf,
    usage: result.usage,
    notes: result.notes,
  });
}
