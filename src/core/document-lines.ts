/**
 * Where each line of a parsed document starts, shared between the parser (which has the table
 * already) and the rules (which need it for positions). A document's text never changes, so the
 * table is computed at most once per document.
 */
import { DocumentMap } from './document-cache.js';
import type { DesignDocument } from './model.js';

const LINE_STARTS = new DocumentMap<readonly number[]>();

/**
 * Offsets of each line start, where lines end at `\n` only and line 1 starts at offset 0 (a BOM
 * or a CR is an ordinary character here, as the rules count columns). Index i is line i+1.
 */
export function documentLineStarts(doc: DesignDocument): readonly number[] {
  let starts = LINE_STARTS.get(doc);
  if (!starts) {
    const computed = [0];
    const text = doc.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) computed.push(i + 1);
    LINE_STARTS.set(doc, computed);
    starts = computed;
  }
  return starts;
}

/**
 * Hands the parser's own line table to `documentLineStarts` when it is the same table: only a text
 * without a BOM and without any CR splits the same way under both definitions.
 */
export function shareParsedLineStarts(doc: DesignDocument, parsed: readonly number[], bom: boolean): void {
  const text = doc.text;
  if (bom || text.indexOf('\r') !== -1) return;
  // A parser that fell back to an empty scan has a one-line table: not the document's.
  if (parsed[parsed.length - 1] !== text.lastIndexOf('\n') + 1) return;
  LINE_STARTS.set(doc, parsed);
}
