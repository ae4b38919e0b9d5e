/** What a review needs to know of one of the team's ADRs: to list it, cite it and link to it. */
export interface KnownAdr {
  /** "ADR-0007", "2024-09-25-signing-configuration", "billing/20201016-use-stripe": see Adr.id. */
  id: string;
  title: string;
  status: string | undefined;
  date: string | undefined;
  /** Whether it no longer holds (it is superseded): reviews must not enforce it. */
  superseded: boolean;
  /** Where a person reads it; absent for ADRs read from a local folder. */
  url?: string | undefined;
}

/** "0007": ADR numbers as files and ids spell them. */
export function formatAdrNumber(n: number): string {
  return String(n).padStart(4, '0');
}

/** "ADR-0007": how the index names a numbered ADR and how a finding cites it. */
export const adrId = (n: number): string => `ADR-${formatAdrNumber(n)}`;

/** The number in a citation as Claude may spell it ("ADR-0007", "ADR-7", "adr 0007"); else undefined. */
export function parseAdrId(text: string): number | undefined {
  const match = /^\s*(?:adr[\s_-]*)?0*(\d{1,6})\s*$/i.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}

/**
 * The ADR a finding's citation names, however Claude spelled it: the id as the index gives it, in any
 * case, with `.md` or an "ADR" in front; a number ("ADR-7") for a numbered ADR; a file name without the
 * package it sits in when only one package has it. undefined when it names none of `known`.
 */
export function findCitedAdr<T extends Pick<KnownAdr, 'id'>>(
  citation: string,
  known: readonly T[],
): T | undefined {
  const cited = citation
    .trim()
    .replace(/^[`"'[(]+|[`"')\]]+$/g, '')
    .replace(/\.(?:md|markdown)$/i, '')
    .replace(/^\.\//, '')
    .toLowerCase();
  if (cited === '') return undefined;
  const byId = (id: string) => known.find((adr) => adr.id.toLowerCase() === id);
  const exact =
    byId(cited) ?? byId(cited.replace(/^adr[\s_:-]+(?=\D)/, '')) ?? byId(cited.replace(/^adr[\s_:-]*/, ''));
  if (exact) return exact;
  const number = parseAdrId(cited);
  if (number !== undefined) {
    const id = adrId(number).toLowerCase();
    return byId(id) ?? only(known.filter((adr) => adr.id.toLowerCase().endsWith(`/${id}`)));
  }
  const name =
    cited
      .replace(/^adr[\s_:-]+(?=\D)/, '')
      .split('/')
      .pop() ?? cited;
  return only(known.filter((adr) => adr.id.toLowerCase().split('/').pop() === name));
}

function only<T>(matches: T[]): T | undefined {
  return matches.length === 1 ? matches[0] : undefined;
}
