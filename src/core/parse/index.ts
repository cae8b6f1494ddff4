/**
 * `parse()`: markdown text in, `DesignDocument` out. The block pass runs once; the metadata and
 * content extractors read its context. Nothing here throws: each stage is guarded, and a failure
 * degrades to a valid, mostly empty model instead of an exception.
 */
import { shareParsedLineStarts } from '../document-lines.js';
import type { DesignDocument, Heading } from '../model.js';
import { buildLineTable, scanBlocks, type BlockScan, type LineTable } from './blocks/index.js';
import type { ExtractContext } from './context.js';
import { extractContent, type ExtractedContent } from './extract/index.js';
import { extractMetadata, type ExtractedMetadata } from './metadata/index.js';
import { buildSectionTree, findTitleHeading, type SectionTree } from './sections.js';

export interface ParseOptions {
  fileName?: string;
  sidecar?: { name: string; text: string };
}

export { scanBlocks, type BlockScan } from './blocks/index.js';
export { findTitleHeading, isCommonSectionName } from './sections.js';

function emptyMetadata(): ExtractedMetadata {
  return {
    frontMatter: null,
    title: null,
    metadata: [],
    docType: null,
    status: null,
    version: null,
    template: null,
  };
}

function emptyContent(): ExtractedContent {
  return {
    fields: [],
    groups: [],
    items: [],
    components: [],
    decisions: [],
    phases: [],
    targets: [],
    goals: [],
    successCriteria: [],
    openQuestions: [],
    approvals: [],
    links: [],
    diagram: null,
    directives: [],
  };
}

function emptyScan(text: string): BlockScan {
  let table: LineTable;
  try {
    table = buildLineTable(text);
  } catch {
    table = { lineStarts: [0], lineEnds: [text.length], bom: false, lineEnding: '\n' };
  }
  return {
    lineStarts: table.lineStarts,
    lineEnds: table.lineEnds,
    opaque: new Uint8Array(table.lineStarts.length),
    headings: [],
    codeBlocks: [],
    linkReferences: new Map(),
    frontMatter: null,
    bom: table.bom,
    lineEnding: table.lineEnding,
  };
}

function emptyTree(text: string, scan: BlockScan): SectionTree {
  const start = scan.bom ? 1 : 0;
  const last = scan.lineStarts.length - 1;
  const lastStart = scan.lineStarts[last] ?? 0;
  return {
    sections: [],
    sectionList: [],
    sectionLevel: 2,
    preamble: text.slice(start),
    preambleRange: {
      start: { line: 1, column: 1, offset: start },
      end: { line: last + 1, column: text.length - lastStart + 1, offset: text.length },
    },
  };
}

/** Where the document body starts: after the front matter's line ending, else after a BOM. */
function bodyStartOf(text: string, scan: BlockScan): number {
  const fm = scan.frontMatter;
  if (fm === null) return scan.bom ? 1 : 0;
  const next = fm.range.end.line;
  return next < scan.lineStarts.length ? (scan.lineStarts[next] as number) : text.length;
}

/**
 * Parses a markdown design document into the typed model. Never throws, whatever the input:
 * a failing stage leaves its part of the model empty. `fileName` is the last-resort title source;
 * `sidecar` is a metadata file beside the document (a KEP's `kep.yaml`).
 */
export function parse(text: string, options?: ParseOptions): DesignDocument {
  const source = typeof text === 'string' ? text : safeString(text);
  try {
    return parseGuarded(source, options ?? {});
  } catch {
    // Every stage below is guarded already; this is the last line for the unforeseen.
    const scan = emptyScan(source);
    const tree = emptyTree(source, scan);
    return assemble(source, null, scan, tree, emptyMetadata(), emptyContent());
  }
}

function safeString(value: unknown): string {
  try {
    return String(value ?? '');
  } catch {
    return '';
  }
}

function parseGuarded(source: string, options: ParseOptions): DesignDocument {
  const fileName = typeof options.fileName === 'string' ? options.fileName : null;
  let scan: BlockScan;
  try {
    scan = scanBlocks(source);
  } catch {
    scan = emptyScan(source);
  }
  let titleHeading: Heading | null = null;
  let tree: SectionTree;
  try {
    titleHeading = findTitleHeading(scan.headings, frontMatterNamesTitle(scan));
    tree = sectionTreeOf(source, scan, titleHeading);
  } catch {
    tree = emptyTree(source, scan);
  }
  const ctx = contextOf(source, fileName, scan, tree, titleHeading);
  let metadata: ExtractedMetadata;
  try {
    metadata = extractMetadata(ctx, { fileName, sidecar: options.sidecar ?? null });
  } catch {
    metadata = emptyMetadata();
  }
  let content: ExtractedContent;
  try {
    content = extractContent(ctx);
  } catch {
    content = emptyContent();
  }
  return assemble(source, fileName, scan, tree, metadata, content);
}

/** A top-level `title:` with a value in the front matter (read before the YAML is parsed). */
function frontMatterNamesTitle(scan: BlockScan): boolean {
  return scan.frontMatter !== null && /^title[ \t]*:[ \t]*[^\s#]/m.test(scan.frontMatter.raw);
}

function sectionTreeOf(source: string, scan: BlockScan, titleHeading: Heading | null): SectionTree {
  return buildSectionTree({
    text: source,
    lineStarts: scan.lineStarts,
    lineEnds: scan.lineEnds,
    opaque: scan.opaque,
    headings: scan.headings,
    titleHeading,
    bodyStart: bodyStartOf(source, scan),
  });
}

function contextOf(
  source: string,
  fileName: string | null,
  scan: BlockScan,
  tree: SectionTree,
  titleHeading: Heading | null,
): ExtractContext {
  return {
    text: source,
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

/**
 * The context the extractors see, built exactly as `parse()` builds it but without its guards, so
 * tests and tools can run one extractor on its own (and see its exceptions).
 */
export function buildExtractContext(text: string, fileName: string | null = null): ExtractContext {
  const scan = scanBlocks(text);
  const titleHeading = findTitleHeading(scan.headings, frontMatterNamesTitle(scan));
  return contextOf(text, fileName, scan, sectionTreeOf(text, scan, titleHeading), titleHeading);
}

function assemble(
  source: string,
  fileName: string | null,
  scan: BlockScan,
  tree: SectionTree,
  metadata: ExtractedMetadata,
  content: ExtractedContent,
): DesignDocument {
  const doc: DesignDocument = {
    text: source,
    fileName,
    lineEnding: scan.lineEnding,
    bom: scan.bom,
    frontMatter: metadata.frontMatter,
    title: metadata.title,
    metadata: metadata.metadata,
    docType: metadata.docType,
    status: metadata.status,
    version: metadata.version,
    template: metadata.template,
    headings: scan.headings,
    sectionLevel: tree.sectionLevel,
    preamble: tree.preamble,
    sections: tree.sections,
    fields: content.fields,
    groups: content.groups,
    items: content.items,
    components: content.components,
    decisions: content.decisions,
    phases: content.phases,
    targets: content.targets,
    goals: content.goals,
    successCriteria: content.successCriteria,
    openQuestions: content.openQuestions,
    approvals: content.approvals,
    links: content.links,
    diagram: content.diagram,
    codeBlocks: scan.codeBlocks,
    directives: content.directives,
  };
  shareParsedLineStarts(doc, scan.lineStarts, scan.bom);
  return doc;
}
