import type { Agent } from '../agents/agent';
import type { Logger } from '../logger';
import type { ConsultationJob } from '../queue/consultation-job';
import type { EnqueueResult } from '../queue/consultation-queue';
import type { ReviewRecord } from '../reviews/review-store';

/** What the Slack listeners need; handed in so a test can build the ingress on its own. */
export interface IngressDeps {
  queue: {
    enqueue(job: ConsultationJob, dedupKey: string): Promise<EnqueueResult>;
    findRequest(requestId: string): Promise<ConsultationJob | undefined>;
  };
  reviews: { get(requestId: string): Promise<ReviewRecord | undefined> };
  agents: {
    get(name: string): Agent | undefined;
    list(): Agent[];
    byReaction(emoji: string): Agent | undefined;
  };
  defaultAgent: string;
  reviewReaction: string;
  logger: Logger;
  newRequestId: () => string;
}
