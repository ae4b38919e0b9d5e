import type { AdrReading } from '../adr/adr-catalog';
import type { PrecedentSource } from '../adr/precedent';
import { rankRelatedAdrs } from '../adr/related-adrs';

/**
 * The team's ADRs as the MCP tools see them: the decisions a review weighs as precedent, and the same
 * catalog `search_decisions` ranks. The command line reads them from a folder, the bot from ADR_DIR or
 * GITHUB_REPOSITORY; either way through the catalog and TeamDecisions the worker uses.
 */
export interface McpTeamAdrs {
  /** Where they are read from, as the prompt names it: "acme/platform docs/adr" or a folder. */
  label: string;
  /** Precedent for a review of a design given as text (no file of the folder is under review). */
  precedent: PrecedentSource;
  /** Every ADR read, with the problem that kept some from being read. */
  read(): Promise<AdrReading>;
}

/** One ADR in `search_decisions`'s answer. */
export interface FoundDecision {
  id: string;
  title: string;
  status: string | null;
  date: string | null;
  superseded: boolean;
  /** Where a person reads it: the file on GitHub, or its path in the folder. */
  link: string;
}

/** The ADRs most related to `query`, best first, ranked as precedent ranks the ones it gives in full. */
export async function searchDecisions(
  adrs: McpTeamAdrs,
  query: string,
  limit: number,
): Promise<{ source: string; decisions: FoundDecision[]; notes: string[] }> {
  const reading = await adrs.read();
  const notes = reading.problem ? [`team decisions (ADRs) not read: ${reading.problem}`] : [];
  if (reading.adrs.length === 0) notes.push(`no ADRs in ${adrs.label}`);
  const decisions = rankRelatedAdrs(reading.adrs, query, limit).map((adr) => ({
    id: adr.id,
    title: adr.title,
    status: adr.status ?? null,
    date: adr.date ?? null,
    superseded: adr.superseded,
    link: adr.url ?? adr.path,
  }));
  return { source: adrs.label, decisions, notes };
}
