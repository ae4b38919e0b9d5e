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
  const message: NamedThreadMessage = {
    ts: '1',
    threadTs: undefined,
    userId: undefined,
    fromThisBot: false,
    fromOtherBot: false,
    text: '',
    files: [read.file],
    authorName: AUTHOR,
  };
  const context = await prepareContextWithPrecedent(
    {
      agentPrompt: input.agent.systemPrompt,
      thread: [message],
      request: { trigger: 'reaction', requesterName: AUTHOR, text: '' },
      settings: {
        tokenBudget: input.context.tokenBudget,
        files: new PreparedFiles([read]),
        surface: 'document',
      },
    },
    {
      source: input.precedent,
      // The design is the thread's one message, though its words are in the file, not the message's
      // text: the related ADRs are found by the file's text (none for a PDF or an image: the index only).
      query: precedentQuery('', [sourceTextOf([{ role: 'user', content: read.blocks }])]),
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
