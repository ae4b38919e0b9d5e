import MiniSearch from 'minisearch';
import type { Adr } from '../domain/adr-collection';

/** Words longer queries repeat without saying what the design is about. */
const MAX_QUERY_CHARS = 4000;

/**
 * The ADRs most related to a request, best first, ranked by MiniSearch (BM25 over title and text, with
 * prefix and light fuzzy matching so "outbox"/"outboxes" and small typos still meet). ADRs without text
 * (over the size limit) are ranked by their title alone. A superseded ADR counts half: it stays in the
 * index, but the decision that replaced it is the one worth reading in full. Ids are the collection's
 * own (unique in it), so no file can break the index.
 */
export function rankRelatedAdrs(adrs: readonly Adr[], query: string, limit: number): Adr[] {
  const text = query.slice(0, MAX_QUERY_CHARS).trim();
  if (adrs.length === 0 || text === '' || limit <= 0) return [];
  const byKey = new Map(adrs.map((a, i) => [i, a]));
  const index = new MiniSearch<{ key: number; title: string; text: string }>({
    idField: 'key',
    fields: ['title', 'text'],
    searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.15, combineWith: 'OR' },
  });
  index.addAll(adrs.map((a, key) => ({ key, title: a.title, text: a.text ?? '' })));
  return index
    .search(text, { boostDocument: (key) => (byKey.get(Number(key))?.superseded ? 0.5 : 1) })
    .slice(0, limit)
    .flatMap((hit) => {
      const adr = byKey.get(Number(hit.id));
      return adr ? [adr] : [];
    });
}
