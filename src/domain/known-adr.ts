/** What a review needs to know of one of the team's ADRs: to list it, cite it and link to it. */
export interface KnownAdr {
  number: number;
  title: string;
  status: string | undefined;
  date: string | undefined;
  /** Where a person reads it; absent for ADRs read from a local folder. */
  url?: string | undefined;
}

/** "0007": ADR numbers as files and ids spell them. */
export function formatAdrNumber(n: number): string {
  return String(n).padStart(4, '0');
}

/** "ADR-0007": how the index names an ADR and how a finding cites it. */
export const adrId = (n: number): string => `ADR-${formatAdrNumber(n)}`;

/** The number in a citation as Claude may spell it ("ADR-0007", "ADR-7", "adr 0007"); else undefined. */
export function parseAdrId(text: string): number | undefined {
  const match = /^\s*(?:adr[\s_-]*)?0*(\d{1,6})\s*$/i.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}

/** A superseded ADR no longer holds: reviews must not enforce it. */
export const isSuperseded = (status: string | undefined): boolean => /supersed/i.test(status ?? '');

export const isAccepted = (status: string | undefined): boolean => /^\s*accepted\b/i.test(status ?? '');
