import {
  CHECKED_DETAILS,
  filesNotReadStep,
  initialSteps,
  NOT_REACHED,
  readDetails,
  STEP_ORDER,
  type Step,
  type StepId,
} from '../../rendering/task-cards';
import type { TaskCards } from './task-cards';

/**
 * What each stage of a consultation means for its task cards: reading the thread (N messages, M
 * files), the files not read and why, reviewing with the agent, checking the answer, posting. Every
 * card ends complete, or as an error with its reason.
 */
export class ConsultationSteps {
  constructor(
    private readonly cards: TaskCards,
    private readonly agentName: string,
  ) {}

  begin(): Promise<void> {
    return this.cards.start(initialSteps(this.agentName));
  }

  /** The thread is read: its size, and the files that could not be read with the reasons. */
  read(found: { messages: number; files: number; filesNotRead: number; unreadNote?: string }): void {
    void this.set('read', 'complete', readDetails(found));
    if (found.filesNotRead > 0) void this.cards.set(filesNotReadStep(found.filesNotRead, found.unreadNote));
  }

  thinking(): void {
    if (this.cards.get('review')?.status === 'pending') void this.set('review', 'in_progress');
  }

  /** Claude's answer arrived and passed the review format's checks. */
  answered(): Promise<void> {
    void this.set('review', 'complete');
    void this.set('check', 'complete', CHECKED_DETAILS);
    return this.set('post', 'in_progress');
  }

  delivered(): Promise<void> {
    return this.set('post', 'complete');
  }

  /** The step under way fails with `reason`; the ones after it were not reached. */
  async failed(reason: string): Promise<void> {
    let failedOne = false;
    for (const id of STEP_ORDER) {
      const status = this.cards.get(id)?.status;
      if ((status === 'in_progress' || status === 'pending') && !failedOne) {
        failedOne = true;
        await this.set(id, 'error', reason);
      } else if (status === 'pending' || status === 'in_progress') {
        await this.set(id, 'error', NOT_REACHED);
      }
    }
  }

  /** The cards were progress: gone once the review (or the failure) is in. */
  discard(): Promise<void> {
    return this.cards.discard();
  }

  private set(id: StepId, status: Step['status'], details?: string): Promise<void> {
    const current = this.cards.get(id);
    if (!current) return Promise.resolve();
    return this.cards.set({ id, title: current.title, status, ...(details ? { details } : {}) });
  }
}
