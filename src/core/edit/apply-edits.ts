/**
 * Applying text edits by source offset: the server changes a document by replacing exact ranges,
 * never by re-typing it, so every byte it does not mean to touch stays as the author wrote it.
 */
import { DesignDocError } from '../errors.js';
import type { TextEdit } from '../model.js';

/**
 * Applies non-overlapping edits to `text` (in any order) and returns the new text. Overlapping
 * edits are a programming error and throw DD_E_INTERNAL rather than produce a garbled document.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) => a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset,
  );
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    const { start, end } = edit.range;
    if (start.offset < at || end.offset < start.offset || end.offset > text.length) {
      throw new DesignDocError(
        'DD_E_INTERNAL',
        `Overlapping or out-of-range edit at offset ${start.offset}.`,
      );
    }
    out += text.slice(at, start.offset) + edit.text;
    at = end.offset;
  }
  return out + text.slice(at);
}

/** A zero-based offset as a range position (line/column filled for the record, offsets rule). */
export function offsetRange(text: string, start: number, end: number): TextEdit['range'] {
  const position = (offset: number) => {
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, column: offset - lineStart + 1, offset };
  };
  return { start: position(start), end: position(end) };
}
