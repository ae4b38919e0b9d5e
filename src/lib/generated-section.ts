/** The two HTML comments a generated part of a document sits between; the generator keeps both. */
export interface SectionMarkers {
  start: string;
  end: string;
}

/**
 * A Markdown table between its markers. Pipes in cells are escaped: one in a description would
 * otherwise split its row into an extra column.
 */
export function markdownTable(
  markers: SectionMarkers,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const cell = (text: string) => (text === '' ? ' |' : ` ${text.replace(/\|/g, '\\|')} |`);
  const row = (cells: readonly string[]) => `|${cells.map(cell).join('')}`;
  return [markers.start, row(header), row(header.map(() => '---')), ...rows.map(row), markers.end].join('\n');
}

/** `doc` with the part between `markers` (markers included) replaced by `section`. */
export function replaceSection(doc: string, markers: SectionMarkers, section: string): string {
  const start = doc.indexOf(markers.start);
  const end = doc.indexOf(markers.end, start);
  if (start === -1 || end === -1) throw new Error(`no ${markers.start} … ${markers.end} markers`);
  return doc.slice(0, start) + section + doc.slice(end + markers.end.length);
}
