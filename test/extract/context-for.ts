/**
 * The extract context for a test document, built by the real block pass and section tree exactly
 * as `parse()` builds it, so the extractors are tested on what they will see in production and can
 * be timed on their own.
 */
import type { ExtractContext } from '../../src/core/parse/context.js';
import { findTitleHeading, scanBlocks } from '../../src/core/parse/index.js';
import { buildSectionTree } from '../../src/core/parse/sections.js';

export function contextFor(text: string, fileName: string | null = null): ExtractContext {
  const scan = scanBlocks(text);
  const titleHeading = findTitleHeading(scan.headings);
  const fm = scan.frontMatter;
  const next = fm === null ? 0 : fm.range.end.line;
  const bodyStart =
    fm === null
      ? scan.bom
        ? 1
        : 0
      : next < scan.lineStarts.length
        ? (scan.lineStarts[next] as number)
        : text.length;
  const tree = buildSectionTree({
    text,
    lineStarts: scan.lineStarts,
    lineEnds: scan.lineEnds,
    opaque: scan.opaque,
    headings: scan.headings,
    titleHeading,
    bodyStart,
  });
  return {
    text,
    lineStarts: scan.lineStarts,
    lineEnds: scan.lineEnds,
    opaque: scan.opaque,
    sections: tree.sections,
    sectionList: tree.sectionList,
    sectionLevel: tree.sectionLevel,
    frontMatter: scan.frontMatter,
    fileName,
    titleHeading,
  };
}
