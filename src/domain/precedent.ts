import type { KnownAdr } from './known-adr';

export interface Precedent {
  /** The <team_decisions> element for the request turn; empty when there is nothing to show. */
  text: string;
  /** Every ADR in the index: a finding may cite any of them. */
  adrs: KnownAdr[];
  /** Ids of the ADRs given in full, most related first. */
  related: string[];
  /** For the review's context line: ADRs that could not be read, or were cut. */
  notes: string[];
}

/** What the worker asks before a consultation; undefined when no ADRs are configured. */
export interface PrecedentSource {
  forRequest(query: string, tokenBudget: number): Promise<Precedent | undefined>;
}
