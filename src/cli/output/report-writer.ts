/**
 * Lint output in three formats, split in two halves so that files can be formatted where they are
 * linted (worker threads) and written in input order by the main thread: a `ReportFormat` turns one
 * file's report into text with no knowledge of its neighbours; a `ReportWriter` streams those pieces
 * with the separators, header and summary around them, so memory stays flat however many files
 * there are and a long CI log shows progress as it goes.
 */
import { pathToFileURL } from 'node:url';
import type { Rule } from '../../core/lint/index.js';
import { toWellFormed } from '../../core/well-formed.js';
import type { Severity } from '../../core/model.js';
import type { Colors } from '../terminal-colors.js';
import type { FileReport, FlatFinding } from './file-report.js';
import { plural } from '../plural.js';

/** Formats one file's report; the empty string when the file prints nothing in this format. */
export interface ReportFormat {
  formatFile(report: FileReport): string;
}

/**
 * One file's text from a `ReportFormat`: a string, or the same text already encoded as UTF-8
 * (lint workers encode theirs, so that the main thread only copies bytes to stdout).
 */
export type Piece = string | Uint8Array;

export interface ReportWriter {
  /** Writes one file's text from the same format's `formatFile` (an empty piece writes nothing). */
  piece(text: Piece): void;
  /** Writes what follows the last file (summary line, closing brackets). */
  end(summary: RunSummary): void;
}

export interface RunSummary {
  files: number;
  counts: Record<Severity, number>;
  /** Fixes applied by --fix and in how many files, when --fix ran. */
  fixed?: { fixes: number; files: number };
}

type Write = (chunk: string | Buffer) => void;

/**
 * Pending output is handed on once it reaches this many characters. Not more: a joined string past
 * 64 Ki characters (128 KiB when it holds any non-Latin-1 character) is allocated as a large object,
 * and building and encoding those cost ten times what the writes they save did.
 */
const BATCH_CHARS = 16 * 1024;
/** The same for output that holds encoded pieces: joined outside the JavaScript heap, so larger. */
const BATCH_BYTES = 64 * 1024;

/** `bytes` as a `Buffer` over the same memory (a `Uint8Array` from a worker is not one). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Joins a machine format's pieces (one per file, a few KiB each) into chunks of at least 16 Ki
 * characters: each `write` to stdout goes through the stream and a system call when stdout is a
 * file or pipe, and one per file was a visible share of a run. The caller still sees progress
 * chunk by chunk, and `flush` hands on the rest when the run ends. Strings alone are joined into a
 * string; once an encoded piece is among them, everything is joined as bytes.
 */
function batched(write: Write): { write(text: Piece): void; flush(): void } {
  let pending = '';
  let parts: Buffer[] = [];
  let bytes = 0;
  const add = (part: Buffer): void => {
    parts.push(part);
    bytes += part.length;
  };
  const flushBytes = (): void => {
    if (pending !== '') add(Buffer.from(pending));
    pending = '';
    const chunk = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, bytes);
    parts = [];
    bytes = 0;
    write(chunk);
  };
  return {
    write(text) {
      if (typeof text !== 'string') {
        // Text before the bytes goes first, in order.
        if (pending !== '') add(Buffer.from(pending));
        pending = '';
        add(asBuffer(text));
        if (bytes >= BATCH_BYTES) flushBytes();
        return;
      }
      pending += text;
      if (parts.length > 0) {
        // Among bytes, text joins them as bytes before it grows into a large string.
        if (pending.length >= BATCH_CHARS) {
          add(Buffer.from(pending));
          pending = '';
        }
        if (bytes >= BATCH_BYTES) flushBytes();
      } else if (pending.length >= BATCH_CHARS) {
        const chunk = pending;
        pending = '';
        write(chunk);
      }
    },
    flush() {
      if (parts.length > 0) flushBytes();
      else if (pending !== '') {
        const chunk = pending;
        pending = '';
        write(chunk);
      }
    },
  };
}

/** Stylish: `file:line:col severity message [DD004 empty-section]`, one line per finding. */
export function stylishFormat(colors: Colors): ReportFormat {
  return {
    formatFile(report) {
      if (report.findings.length === 0) return '';
      const out: string[] = [];
      for (const finding of report.findings) {
        const severity =
          finding.severity === 'error'
            ? colors.red('error')
            : finding.severity === 'warning'
              ? colors.yellow('warning')
              : colors.blue('info');
        out.push(
          `${colors.bold(`${report.file}:${finding.line}:${finding.column}`)} ${severity} ${finding.message} ${colors.dim(`[${finding.ruleId} ${finding.rule}]`)}`,
        );
      }
      return out.join('\n') + '\n';
    },
  };
}

/**
 * Stylish stream: a blank line between files, then `N problems (E errors, W warnings) in F of T
 * files` or `no problems in T files`.
 */
export function stylishWriter(write: Write, colors: Colors): ReportWriter {
  // Not batched: stylish is read as it scrolls, and a file that cannot be read is reported on
  // stderr in its place among the others, which a held-back chunk of stdout would put out of order.
  let filesWithFindings = 0;
  return {
    piece(text) {
      if (text.length === 0) return;
      if (typeof text === 'string') write(filesWithFindings > 0 ? `\n${text}` : text);
      else {
        if (filesWithFindings > 0) write('\n');
        write(asBuffer(text));
      }
      filesWithFindings++;
    },
    end(summary) {
      const { error, warning, info } = summary.counts;
      const total = error + warning + info;
      const out: string[] = filesWithFindings > 0 ? [''] : [];
      if (total === 0) {
        out.push(colors.green(`no problems in ${plural(summary.files, 'file')}`));
      } else {
        const parts = [plural(error, 'error'), plural(warning, 'warning')];
        if (info > 0) parts.push(`${info} info`);
        const line = `${plural(total, 'problem')} (${parts.join(', ')}) in ${filesWithFindings} of ${plural(summary.files, 'file')}`;
        out.push(error > 0 ? colors.red(colors.bold(line)) : colors.yellow(colors.bold(line)));
      }
      if (summary.fixed)
        out.push(`fixed ${plural(summary.fixed.fixes, 'problem')} in ${plural(summary.fixed.files, 'file')}`);
      write(out.join('\n') + '\n');
    },
  };
}

/**
 * JSON: an array with one object per file, one file per line:
 * `{ file, score, findings: [{ ruleId, rule, severity, message, line, column, endLine, endColumn }] }`.
 */
export function jsonFormat(): ReportFormat {
  // Written out by hand: a run over 10,000 generated documents prints some 300,000 findings, and
  // the generic `JSON.stringify` of their objects was 5% of the run. Only strings that vary need
  // escaping; a rule's id, slug and severity repeat and are quoted once.
  const heads = new Map<string, Array<{ rule: string; severity: string; head: string }>>();
  const headOf = (finding: FlatFinding): string => {
    let known = heads.get(finding.ruleId);
    if (known === undefined) heads.set(finding.ruleId, (known = []));
    for (const entry of known)
      if (entry.rule === finding.rule && entry.severity === finding.severity) return entry.head;
    const head = `{"ruleId":${JSON.stringify(finding.ruleId)},"rule":${JSON.stringify(finding.rule)},"severity":${JSON.stringify(finding.severity)},"message":`;
    known.push({ rule: finding.rule, severity: finding.severity, head });
    return head;
  };
  return {
    formatFile(report) {
      // One `join` rather than `+=`: appending builds a rope of a few hundred string pieces, and
      // when the main thread holds a piece until the workers' files before it are written, the
      // garbage collector copies every piece of that rope, several times over a run (the main
      // thread's young-generation collections took 4× as long as a worker's). A joined string is
      // one flat block.
      const findings = report.findings;
      const parts: string[] = [
        `{"file":${JSON.stringify(report.file)},"score":${jsonNumber(report.score)},"findings":[`,
      ];
      for (let i = 0; i < findings.length; i++) {
        const finding = findings[i] as FlatFinding;
        const head = headOf(finding);
        parts.push(
          i === 0 ? head : `,${head}`,
          JSON.stringify(finding.message),
          `,"line":${jsonNumber(finding.line)},"column":${jsonNumber(finding.column)},"endLine":${jsonNumber(finding.endLine)},"endColumn":${jsonNumber(finding.endColumn)}}`,
        );
      }
      parts.push(']}');
      return parts.join('');
    },
  };
}

/** A number as `JSON.stringify` writes it (`null` for NaN and the infinities). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** The JSON array around `jsonFormat` pieces. */
export function jsonWriter(output: Write): ReportWriter {
  const { write, flush } = batched(output);
  let count = 0;
  return {
    piece(text) {
      if (text.length === 0) return;
      if (typeof text === 'string') write(`${count === 0 ? '[\n' : ',\n'}${text}`);
      else {
        write(count === 0 ? '[\n' : ',\n');
        write(text);
      }
      count++;
    },
    end() {
      write(count === 0 ? '[]\n' : '\n]\n');
      flush();
    },
  };
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export interface SarifTool {
  name: string;
  version: string;
  informationUri: string;
  /** Base URL of the rule docs pages (`<base><slug>.md`). */
  rulesHelpBase: string;
}

/**
 * RFC 3986 path segments for a relative path (spaces, `%` and `#` escaped, `/` kept). An unpaired
 * surrogate, which `encodeURIComponent` refuses, becomes U+FFFD as in the rest of the output.
 */
function relativeUri(file: string): string {
  return toWellFormed(file).split('/').map(encodeURIComponent).join('/');
}

function isAbsolutePath(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);
}

function ruleIndexOf(rules: readonly Rule[]): Map<string, number> {
  return new Map(rules.map((rule, index) => [rule.id, index]));
}

/**
 * SARIF results for one file: one JSON object per line, indented to sit in `runs[0].results`, with
 * `%SRCROOT%`-relative locations (absolute `file:` URIs for files outside `cwd`) and 1-based UTF-16
 * regions. `ruleIndex` points into `sarifWriter`'s `tool.driver.rules` for the same rule list.
 */
export function sarifFormat(rules: readonly Rule[]): ReportFormat {
  const ruleIndex = ruleIndexOf(rules);
  return {
    formatFile(report) {
      if (report.findings.length === 0) return '';
      const artifactLocation = isAbsolutePath(report.file)
        ? { uri: pathToFileURL(report.path).href }
        : { uri: relativeUri(report.file), uriBaseId: '%SRCROOT%' };
      const out: string[] = [];
      for (const finding of report.findings) {
        // DD000 (a rule that crashed) is not in the registry: its results carry the id alone.
        const index = ruleIndex.get(finding.ruleId);
        const result = {
          ruleId: finding.ruleId,
          ...(index === undefined ? {} : { ruleIndex: index }),
          level: LEVELS[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation,
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endLine: Math.max(finding.endLine, finding.line),
                  endColumn:
                    finding.endLine > finding.line
                      ? finding.endColumn
                      : Math.max(finding.endColumn, finding.column),
                },
              },
            },
          ],
        };
        out.push(`        ${JSON.stringify(result)}`);
      }
      return out.join(',\n');
    },
  };
}

/**
 * SARIF 2.1.0 for code scanning: every registry rule in `tool.driver.rules` (so `ruleIndex` is stable
 * across runs) and the results of `sarifFormat` pieces.
 */
export function sarifWriter(
  output: Write,
  rules: readonly Rule[],
  tool: SarifTool,
  cwd: string,
): ReportWriter {
  const sarifRules = rules.map((rule) => ({
    id: rule.id,
    name: rule.slug,
    shortDescription: { text: rule.description },
    helpUri: `${tool.rulesHelpBase}${rule.slug}.md`,
    defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
    properties: { tags: [...rule.tags] },
  }));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: sarifRules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results: ['\u0000RESULTS\u0000'],
      },
    ],
  };
  const [head, tail] = JSON.stringify(log, null, 2).split(/\n\s*"\\u0000RESULTS\\u0000"\n\s*/) as [
    string,
    string,
  ];
  const { write, flush } = batched(output);
  let count = 0;
  write(head);
  return {
    piece(text) {
      if (text.length === 0) return;
      if (typeof text === 'string') write(`${count === 0 ? '\n' : ',\n'}${text}`);
      else {
        write(count === 0 ? '\n' : ',\n');
        write(text);
      }
      count++;
    },
    end() {
      write(`${count === 0 ? '' : '\n      '}${tail}\n`);
      flush();
    },
  };
}
