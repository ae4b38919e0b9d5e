import type { InstallationQuery } from '@slack/bolt';
import type { AdrPublishing } from '../adr/save-adr';
import type { Agent } from '../agents/agent';
import type { Logger } from '../logger';
import type { ArchitectMetrics } from '../observability/metrics';
import type { ConsultationJob } from '../queue/consultation-job';
import type { EnqueueResult } from '../queue/consultation-queue';
import type { WorkspaceSettingsStore } from '../settings/workspace-settings';
import type { SlackCallScheduler } from '../slack/call-scheduler';
import type { ReviewRecord, ReviewStore } from '../stores/review-store';
import type { ViewedContexts } from '../stores/viewed-context';
import type { AdmissionDeps } from './admission';

/** What the Slack listeners need; handed in so a test can build the ingress on its own. */
export interface IngressDeps extends AdmissionDeps {
  queue: {
    enqueue(job: ConsultationJob, dedupKey: string): Promise<EnqueueResult>;
    findRequest(requestId: string): Promise<ConsultationJob | undefined>;
    /** OAuth mode: drops an uninstalled workspace's queued consultations. */
    dropWaiting?(belongs: (job: ConsultationJob) => boolean): Promise<number>;
  };
  reviews: Pick<ReviewStore, 'get' | 'recordFeedback'>;
  agents: {
    get(name: string): Agent | undefined;
    list(): Agent[];
    byReaction(emoji: string): Agent | undefined;
  };
  defaultAgent: string;
  reviewReaction: string;
  logger: Logger;
  newRequestId: () => string;
  /** The requesting user's recent reviews, for the Home tab (it lists none when absent). */
  userReviews?: { recent(teamId: string, userId: string, limit?: number): Promise<ReviewRecord[]> };
  /** What each person is looking at in Slack, for "review this" in the DM (none remembered when absent). */
  viewedContexts?: Pick<ViewedContexts, 'get' | 'save'>;
  /**
   * Where "Save as ADR" puts an ADR besides the thread (the workspace's repository, the Home tab); only
   * the thread when absent. Per workspace: in OAuth mode each has its own repository, or none.
   */
  adrs?: { forTeam(teamId: string): Promise<Omit<AdrPublishing, 'logger'>> };
  /** OAuth mode: where an uninstalled workspace's installation is deleted. */
  installations?: { deleteInstallation(query: InstallationQuery<boolean>): Promise<void> };
  /**
   * OAuth mode: each workspace's settings (its ADR repository), edited from the Home tab by its admins
   * (Slack's admins and owners, and SETTINGS_ADMINS).
   */
  settings?: { store: WorkspaceSettingsStore; admins: string[] };
  /** OAuth mode: forgets an uninstalled workspace's settings and what Redis keeps of it. */
  forgetWorkspace?: (teamId: string) => Promise<number>;
  /** Counts Slack API calls of Bolt's clients and refusals (rate limit, cost guard). */
  metrics?: ArchitectMetrics;
  /** The workspace's Slack budget, shared with the worker: Bolt's clients' calls wait for it too. */
  slackScheduler?: SlackCallScheduler;
}
