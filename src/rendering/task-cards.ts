import { truncate } from '../lib/mrkdwn';

/**
 * A consultation's stages as Slack's task cards (plan_update and task_update chunks of a streamed
 * message): what each card says. The worker decides when a card changes; this decides what it reads.
 */

/** A consultation's stages, each one task card. */
export type StepId = 'read' | 'files' | 'review' | 'check' | 'post';
export type StepStatus = 'pending' | 'in_progress' | 'complete' | 'error';

export interface Step {
  id: StepId;
  title: string;
  status: StepStatus;
  /** Shown under the title: what the step found, or why it failed. Slack takes 256 characters. */
  details?: string;
}

/** Slack's limit on a task card's details and output. */
const TASK_TEXT_LIMIT = 256;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The order the stages run in, for a failure to mark those after it as not reached. */
export const STEP_ORDER = ['read', 'review', 'check', 'post'] as const;

/** The plan's title over the cards. */
export const planTitle = (agentName: string): string => `${agentName} is reviewing`;

/** Every card as a consultation begins: reading under way, the rest to come. */
export function initialSteps(agentName: string): Step[] {
  return [
    { id: 'read', title: 'Reading the thread', status: 'in_progress' },
    { id: 'review', title: `Reviewing with ${agentName}`, status: 'pending' },
    { id: 'check', title: 'Checking the answer', status: 'pending' },
    { id: 'post', title: 'Posting the review', status: 'pending' },
  ];
}

/** What reading found: "12 messages, 2 files". */
export function readDetails(found: { messages: number; files: number }): string {
  const files = found.files > 0 ? `, ${plural(found.files, 'file', 'files')}` : '';
  return `${plural(found.messages, 'message', 'messages')}${files}`;
}

/** The card for files that could not be read, with why when known. */
export function filesNotReadStep(count: number, note?: string): Step {
  return {
    id: 'files',
    title: `${plural(count, 'file', 'files')} not read`,
    status: 'error',
    ...(note ? { details: note } : {}),
  };
}

export const CHECKED_DETAILS = 'the review has every section it needs';
export const NOT_REACHED = 'not reached: an earlier step failed';

/** A step with its details within Slack's limit. */
export function clipStep(step: Step): Step {
  return step.details ? { ...step, details: truncate(step.details, TASK_TEXT_LIMIT) } : step;
}

/** One card as Slack's task_update chunk. */
export function taskChunk(step: Step) {
  return {
    type: 'task_update' as const,
    id: step.id,
    title: step.title,
    status: step.status,
    ...(step.details ? { details: step.details } : {}),
  };
}

/** The whole plan: its title, then every card as it stands. */
export function planChunks(title: string, steps: Iterable<Step>) {
  return [{ type: 'plan_update' as const, title }, ...[...steps].map(taskChunk)];
}
