import type { SourceRange } from '../../src/core/model.js';
import { extractContent, type ExtractedContent } from '../../src/core/parse/extract/index.js';
import { contextFor } from './context-for.js';

/** Extracts `markdown` (lines joined with `\n`). */
export function extract(...lines: string[]): ExtractedContent & { text: string } {
  const text = lines.join('\n');
  return { text, ...extractContent(contextFor(text)) };
}

/** The source text a range covers. */
export function at(text: string, range: SourceRange): string {
  return text.slice(range.start.offset, range.end.offset);
}
