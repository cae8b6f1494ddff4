/**
 * Where each line starts and ends. LF, CRLF and lone CR all end a line, as in CommonMark; a
 * leading BOM is not part of line 1. A text ending in a line ending has a final empty line, so
 * that the end of the text always has a position.
 */
export interface LineTable {
  lineStarts: number[];
  lineEnds: number[];
  bom: boolean;
  /** The first line ending found (LF when there is none). */
  lineEnding: '\n' | '\r\n';
}

/** Builds the line start/end tables of `text` with one `indexOf` per line when there is no CR. */
export function buildLineTable(text: string): LineTable {
  const bom = text.charCodeAt(0) === 0xfeff;
  const lineStarts: number[] = [];
  const lineEnds: number[] = [];
  let pos = bom ? 1 : 0;
  const firstCr = text.indexOf('\r');
  if (firstCr === -1) {
    for (;;) {
      lineStarts.push(pos);
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        lineEnds.push(text.length);
        break;
      }
      lineEnds.push(nl);
      pos = nl + 1;
    }
    return { lineStarts, lineEnds, bom, lineEnding: '\n' };
  }
  const n = text.length;
  lineStarts.push(pos);
  for (let i = pos; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineEnds.push(i);
      lineStarts.push(i + 1);
    } else if (c === 13) {
      lineEnds.push(i);
      if (text.charCodeAt(i + 1) === 10) i++;
      lineStarts.push(i + 1);
    }
  }
  lineEnds.push(n);
  const firstLf = text.indexOf('\n');
  const crlf = (firstLf === -1 || firstCr < firstLf) && text.charCodeAt(firstCr + 1) === 10;
  return { lineStarts, lineEnds, bom, lineEnding: crlf ? '\r\n' : '\n' };
}
