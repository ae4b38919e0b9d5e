import { z } from 'zod';

/** The ids every log line about a consultation carries, read leniently: a field that is missing is left out. */
const LogFieldsSchema = z.object({
  requestId: z.string().optional().catch(undefined),
  trigger: z.string().optional().catch(undefined),
  agentName: z.string().optional().catch(undefined),
  teamId: z.string().optional().catch(undefined),
  channelId: z.string().optional().catch(undefined),
});

export interface ConsultationLogFields {
  requestId?: string;
  trigger?: string;
  agent?: string;
  teamId?: string;
  channelId?: string;
}

/**
 * `requestId`, `trigger`, `agent`, `teamId` and `channelId` of a job's data, for log lines written
 * outside the processor (BullMQ's events), so that one search by requestId finds every line of a request.
 * Never the request's text.
 */
export function consultationLogFields(data: unknown): ConsultationLogFields {
  const parsed = LogFieldsSchema.safeParse(data);
  if (!parsed.success) return {};
  const { agentName, ...ids } = parsed.data;
  const fields: ConsultationLogFields = { ...ids, ...(agentName !== undefined ? { agent: agentName } : {}) };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
