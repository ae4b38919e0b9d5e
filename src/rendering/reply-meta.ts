/** Facts about how a reply was produced: people see agent, model and time; the full review adds the rest. */
export interface ReplyMeta {
  requestId: string;
  agentName: string;
  model: string;
  durationMs: number;
  /** Today's date as Claude was told it: technology versions are "as of" it. */
  asOf: string;
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
  /** Context notes, e.g. 'files not read: x.zip (type)'. */
  notes?: string[];
  /** Agents the "Ask another agent" menu offers (this reply's own agent excluded by the caller). */
  otherAgents?: string[];
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? s';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
