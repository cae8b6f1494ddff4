/**
 * Writing the document's own `Status:` value. The server owns the lifecycle, and the markdown must
 * say what the server knows, in whichever shape the author used (front matter, `Status:` line,
 * bold key, bullet, `## Status` section).
 */
import type { DesignDocument, Lifecycle, TextEdit } from '../model.js';
import { offsetRange } from './apply-edits.js';

const LABELS: Record<Lifecycle, string> = {
  draft: 'Draft',
  'in-review': 'In Review',
  approved: 'Approved',
  implemented: 'Implemented',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  deferred: 'Deferred',
  superseded: 'Superseded',
  deprecated: 'Deprecated',
};

/** The status text the server writes: `In Review`, `Superseded by Payments v2`. */
export function statusLabel(lifecycle: Lifecycle, supersededBy: string | null = null): string {
  return lifecycle === 'superseded' && supersededBy ? `Superseded by ${supersededBy}` : LABELS[lifecycle];
}

function yamlScalar(value: string): string {
  return /^[\w(][^:#]*$/u.test(value) && !/\s$/.test(value) ? value : JSON.stringify(value);
}

/**
 * The edits that make the document's status read `value`. The existing status value is replaced
 * in place; a document without one gets a `Status:` line under its title (or at the top). A
 * status kept only in a sidecar file cannot be edited here and yields no edit.
 */
export function statusEdits(doc: DesignDocument, value: string): TextEdit[] {
  const { text } = doc;
  const status = doc.status;
  if (status && status.entry.source !== 'sidecar') {
    let start = status.entry.valueRange.start.offset;
    let end = status.entry.valueRange.end.offset;
    const written = status.entry.source === 'front-matter' ? yamlScalar(value) : value;
    if (status.raw.trim() === '' || start === end) {
      // A blank value (`Status: `): replace any trailing spaces and keep one after the separator.
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      if (text[lineEnd - 1] === '\r') lineEnd--;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      end = Math.max(end, lineEnd);
      if (status.entry.source === 'section') {
        const eol = doc.lineEnding;
        return [{ range: offsetRange(text, start, end), text: `${eol}${eol}${written}` }];
      }
      const sep = text[start - 1] === ':' || text[start - 1] === '*' ? ' ' : '';
      return [{ range: offsetRange(text, start, end), text: `${sep}${written}` }];
    }
    return [{ range: offsetRange(text, start, end), text: written }];
  }
  const eol = doc.lineEnding;
  const title = doc.title;
  if (title && title.range && (title.source === 'h1' || title.source === 'setext')) {
    let at = text.indexOf('\n', title.range.end.offset);
    if (at === -1) {
      return [
        { range: offsetRange(text, text.length, text.length), text: `${eol}${eol}Status: ${value}${eol}` },
      ];
    }
    at += 1;
    return [{ range: offsetRange(text, at, at), text: `${eol}Status: ${value}${eol}` }];
  }
  const at = doc.frontMatter ? doc.frontMatter.range.end.offset : doc.bom ? 1 : 0;
  const prefix = doc.frontMatter && text[at - 1] !== '\n' ? eol : '';
  return [{ range: offsetRange(text, at, at), text: `${prefix}Status: ${value}${eol}${eol}` }];
}
