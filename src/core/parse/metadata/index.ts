/**
 * Title, metadata and status of a design document, from every shape real documents use: YAML front
 * matter, a sidecar `kep.yaml`, bullet headers, bold keys, plain `Key: value` lines and tables at
 * the top, and an ADR-style `## Status` section.
 *
 * Status precedence (the first tier whose value names a lifecycle wins, else the first non-empty
 * value, else the first blank one; within a tier `Status` beats `Implementation Status` and then
 * source order decides):
 *   1. front matter — machine-written, and what tooling such as MADR and Jekyll sites read;
 *   2. header lines at the top (bullets, bold keys, `Key: value`, tables) — what the reader sees
 *      first; Swift, gRPC, Cilium, log4brains and Prometheus keep their status here;
 *   3. a top-level `## Status` section — the ADR convention (MOJ, Nygard-style records);
 *   4. the sidecar `kep.yaml` — KEPs never write status in the markdown, so it only fills the gap,
 *      and a status written in the document itself is never overridden by a file beside it.
 * When every source is blank, the first blank entry is kept so a linter can say "Status is empty".
 */
import type {
  DesignDocument,
  DocumentStatus,
  FrontMatter,
  Heading,
  MetadataEntry,
  Title,
} from '../../model.js';
import { normalizeStatus, type StatusNormalizer } from '../../status.js';
import { LINE_HEADING, type ExtractContext } from '../context.js';
import { readHeaderLines, type LineSpan } from './header-lines.js';
import { isCommonSectionName } from '../sections.js';
import { FEATURE_NAME_KEYS, STATUS_KEYS, TITLE_KEYS, TYPE_KEYS, VERSION_KEYS } from './metadata-key.js';
import { readStatusSection } from './status-section.js';
import { titleFromFileName } from './title-from-file-name.js';
import { lineStartsOf, readYamlEntries } from './yaml-entries.js';
import { byStartOffset } from '../../source-order.js';

export { titleFromFileName } from './title-from-file-name.js';
export { metadataKeyName } from './metadata-key.js';

export interface MetadataOptions {
  fileName: string | null;
  /** A metadata file beside the document (`<slug>.kep.yaml`): its name and text. */
  sidecar: { name: string; text: string } | null;
  /** A configured status vocabulary; the built-in one otherwise. */
  normalizeStatus?: StatusNormalizer;
}

export type ExtractedMetadata = Pick<
  DesignDocument,
  'frontMatter' | 'title' | 'metadata' | 'docType' | 'status' | 'version' | 'template'
>;

/** Lines after the front matter before the first section, and the lines right under the title. */
function headerSpans(ctx: ExtractContext, titleHeading: Heading | null): LineSpan[] {
  const lineCount = ctx.lineStarts.length;
  const from = ctx.frontMatter ? ctx.frontMatter.range.end.line + 1 : 1;
  const firstSection = ctx.sectionList[0];
  let to = firstSection ? firstSection.heading.range.start.line : lineCount + 1;
  const spans: LineSpan[] = [];
  if (titleHeading) {
    const titleEnd = titleHeading.range.end.line;
    // Under the title up to the next heading, even when a section (`### Design Document`) precedes it.
    let next = titleEnd + 1;
    while (next <= lineCount && ctx.opaque[next - 1] !== LINE_HEADING) next++;
    if (titleHeading.range.start.line >= to) {
      if (to > from) spans.push({ from, to });
      spans.push({ from: titleEnd + 1, to: next });
      return spans;
    }
    to = Math.max(to, next);
  } else if (firstSection && firstSection.depth === 1 && !hasContent(ctx, from, to)) {
    // No title heading and nothing before the first section: its own body is the header
    // (a proposal that opens with `## Name` and its bullets).
    to = firstSection.bodyRange.end.line + 1;
  }
  if (to > from) spans.push({ from, to });
  return spans;
}

function hasContent(ctx: ExtractContext, from: number, to: number): boolean {
  for (let line = from; line < to; line++) {
    const start = ctx.lineStarts[line - 1] as number;
    const end = ctx.lineEnds[line - 1] as number;
    if (ctx.text.slice(start, end).trim() !== '') return true;
  }
  return false;
}

/** Where a front matter block's YAML starts in the text and what it is (delimiters removed). */
function frontMatterYaml(ctx: ExtractContext): { yaml: string; offset: number } | null {
  const fm = ctx.frontMatter;
  if (!fm) return null;
  let yaml = fm.raw;
  let offset = ctx.text.indexOf(yaml, fm.range.start.offset);
  if (offset === -1) offset = fm.range.start.offset;
  const open = /^(?:---|\+\+\+)[ \t]*\r?\n/.exec(yaml);
  if (open) {
    yaml = yaml.slice(open[0].length);
    offset += open[0].length;
  }
  yaml = yaml.replace(/(?:^|\r?\n)(?:---|\.\.\.|\+\+\+)[ \t]*(?:\r?\n)?$/, '');
  return { yaml, offset };
}

function present(entry: MetadataEntry | null): string | null {
  return entry && entry.value.trim() !== '' ? entry.value.trim() : null;
}

function pick(
  tiers: readonly MetadataEntry[][],
  names: readonly string[],
  /** Given for Status: a value that names a lifecycle wins over one that does not. */
  lifecycleOf?: (value: string) => { lifecycle: unknown },
): MetadataEntry | null {
  let blank: MetadataEntry | null = null;
  let unaccepted: MetadataEntry | null = null;
  for (const tier of tiers) {
    let best: MetadataEntry | null = null;
    let bestRank = Infinity;
    for (const entry of tier) {
      const rank = names.indexOf(entry.name);
      if (rank === -1) continue;
      if (entry.value.trim() === '') {
        blank ??= entry;
        continue;
      }
      if (lifecycleOf && lifecycleOf(entry.value).lifecycle === null) {
        unaccepted ??= entry;
        continue;
      }
      if (rank < bestRank) {
        best = entry;
        bestRank = rank;
      }
    }
    if (best) return best;
  }
  return unaccepted ?? blank;
}

/** Markdown decoration off a title written as a value: `` `my_feature` ``, `**Name**`, links. */
function plainValue(value: string): string {
  return value
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]+/g, '')
    .replace(/^["']|["']$/g, '')
    .trim();
}

/** Values that mean "no name" in a `Feature Name:` bullet. */
const NO_NAME = /^(?:n\/?a|none|\(none\)|not applicable|-+|tbd|todo|\?+|null|\(.*\))$/i;

/**
 * With no title heading chosen, a first heading that opens the document (nothing but blank lines or
 * front matter before it) and is not a stock section name is the title: Prometheus and some gRPC
 * and Go proposals open with `## Name`.
 */
function openingHeading(ctx: ExtractContext): Heading | null {
  const first = ctx.sectionList[0];
  if (!first || isCommonSectionName(first.title)) return null;
  const from = ctx.frontMatter ? ctx.frontMatter.range.end.line + 1 : 1;
  return hasContent(ctx, from, first.heading.range.start.line) ? null : first.heading;
}

function chooseTitle(
  titleHeading: Heading | null,
  openingTitle: Heading | null,
  frontMatterTitle: MetadataEntry | null,
  headerTitle: MetadataEntry | null,
  featureName: MetadataEntry | null,
  sidecarTitle: MetadataEntry | null,
  fileName: string | null,
): Title | null {
  const headingTitle: Title | null = titleHeading
    ? {
        text: titleHeading.text.trim(),
        source: titleHeading.kind === 'setext' ? 'setext' : 'h1',
        range: titleHeading.range,
      }
    : null;
  // A title heading that is really a stock section name (`## Summary` as the only heading) yields
  // to a title the document names explicitly.
  // So does a heading that comes after a header naming the title (a Rust RFC's `Feature Name:`
  // bullets followed by a `## This RFC was … withdrawn` notice).
  const namedBefore = [headerTitle, featureName].some(
    (entry) =>
      entry !== null && titleHeading !== null && entry.range.start.offset < titleHeading.range.start.offset,
  );
  const weakHeading = headingTitle !== null && (isCommonSectionName(headingTitle.text) || namedBefore);
  if (headingTitle && headingTitle.text !== '' && !weakHeading) return headingTitle;
  const fromEntry = (entry: MetadataEntry | null, source: Title['source']): Title | null => {
    if (!entry) return null;
    const text = plainValue(entry.value);
    if (text === '' || NO_NAME.test(text)) return null;
    return { text, source, range: entry.source === 'sidecar' ? null : entry.valueRange };
  };
  const found =
    fromEntry(frontMatterTitle, 'front-matter') ??
    fromEntry(headerTitle, 'metadata') ??
    fromEntry(featureName, 'feature-name') ??
    (openingTitle && openingTitle.text.trim() !== ''
      ? {
          text: openingTitle.text.trim(),
          source: openingTitle.kind === 'setext' ? 'setext' : 'h1',
          range: openingTitle.range,
        }
      : null) ??
    fromEntry(sidecarTitle, 'metadata');
  if (found) return found;
  // An empty `# ` is reported as an empty title so the linter can point at it.
  // A heading after a header that names the title is a notice, not the title: the file name reads better.
  if (headingTitle && !namedBefore) return headingTitle;
  const fromFile = fileName ? titleFromFileName(fileName) : null;
  if (fromFile) return { text: fromFile, source: 'file-name', range: null };
  return headingTitle;
}

/**
 * Extracts the front matter, title, every metadata entry, the normalised status, type, version and
 * template name. Reads only the front matter, the lines at the top and the top-level Status
 * section, so its cost does not grow with the document body. Never throws: bad YAML is reported in
 * `frontMatter.error`.
 */
export function extractMetadata(ctx: ExtractContext, options: MetadataOptions): ExtractedMetadata {
  const titleHeading = ctx.titleHeading ?? null;
  const normalize = options.normalizeStatus ?? normalizeStatus;

  let frontMatter: FrontMatter | null = null;
  let frontEntries: MetadataEntry[] = [];
  const fmYaml = frontMatterYaml(ctx);
  if (ctx.frontMatter && fmYaml) {
    const read = readYamlEntries(fmYaml.yaml, fmYaml.offset, ctx.lineStarts, 'front-matter');
    frontMatter = {
      raw: ctx.frontMatter.raw,
      data: read.data,
      error: read.error,
      range: ctx.frontMatter.range,
    };
    frontEntries = read.entries;
  }

  const headerEntries = readHeaderLines(ctx, headerSpans(ctx, titleHeading));
  const sectionEntry = readStatusSection(ctx, normalize);
  const sectionEntries = sectionEntry ? [sectionEntry] : [];

  let sidecarEntries: MetadataEntry[] = [];
  if (options.sidecar) {
    const sidecarText = options.sidecar.text.replace(/^\uFEFF/, '');
    sidecarEntries = readYamlEntries(sidecarText, 0, lineStartsOf(sidecarText), 'sidecar').entries;
  }

  const tiers = [frontEntries, headerEntries, sectionEntries, sidecarEntries];
  // A value that names a lifecycle beats one that does not (`## Status` prose vs. the sidecar's `replaced`).
  // (The normaliser itself, not an arrow around it (no closure per call: docs/DESIGN.md, Scalability Strategy).)
  const statusEntry = pick(tiers, STATUS_KEYS, normalize);
  let status: DocumentStatus | null = null;
  if (statusEntry) {
    const normalized = normalize(statusEntry.value);
    status = {
      raw: statusEntry.value,
      lifecycle: normalized.lifecycle,
      supersededBy: normalized.supersededBy,
      entry: statusEntry,
    };
  }
  const typeEntry = pick(tiers, TYPE_KEYS);
  const versionEntry = pick(tiers, VERSION_KEYS);
  const templateEntry = pick([frontEntries], ['template']);

  const title = chooseTitle(
    titleHeading,
    titleHeading ? null : openingHeading(ctx),
    pick([frontEntries], TITLE_KEYS),
    pick([headerEntries], TITLE_KEYS),
    pick([headerEntries, frontEntries], FEATURE_NAME_KEYS),
    pick([sidecarEntries], ['title']),
    options.fileName ?? ctx.fileName,
  );

  const documentEntries = [...frontEntries, ...headerEntries, ...sectionEntries].sort(byStartOffset);
  return {
    frontMatter,
    title,
    metadata: [...documentEntries, ...sidecarEntries],
    docType: present(typeEntry),
    status,
    version: present(versionEntry),
    template: present(templateEntry),
  };
}
