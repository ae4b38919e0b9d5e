import type { CitedAdr } from '../domain/review';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';

/** Only a plain web address becomes a link; anything else could break out of Slack's `<url|label>`. */
const SAFE_URL = /^https?:\/\/[^\s<>|]+$/;

/**
 * The line under a finding that cites one of the team's ADRs: a link to it (when it is on GitHub), its
 * status, and whether the finding goes against it. A superseded ADR is marked as no longer holding.
 */
export function adrCitationLine(adr: CitedAdr): string {
  const label = escapeMrkdwn(truncate(`${adr.id}: ${adr.title}`, 120)).replaceAll('|', '¦');
  const link = adr.url && SAFE_URL.test(adr.url) ? `<${adr.url}|${label}>` : `*${label}*`;
  const status = adr.status ? ` (${escapeMrkdwn(truncate(adr.status, 60))})` : '';
  if (adr.superseded) return `:bookmark: Cites ${link}${status}, which is superseded and no longer holds`;
  return adr.relation === 'contradicts'
    ? `:warning: Goes against the team’s decision ${link}${status}`
    : `:bookmark: Follows the team’s decision ${link}${status}`;
}
