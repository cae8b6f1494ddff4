/**
 * The run's output format by name: the per-file half (`ReportFormat`, built wherever files are
 * linted, workers included) and the streaming half (`ReportWriter`, on the main thread).
 */
import picocolors from 'picocolors';
import { builtinRegistry } from '../../core/lint/index.js';
import { packageInfo } from '../package-info.js';
import {
  jsonFormat,
  jsonWriter,
  sarifFormat,
  sarifWriter,
  stylishFormat,
  stylishWriter,
  type ReportFormat,
  type ReportWriter,
} from '../output/report-writer.js';

export const FORMAT_NAMES = ['stylish', 'json', 'sarif'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Formats one file's report as `name` prints it; `color` only matters to stylish. */
export function reportFormat(name: FormatName, color: boolean): ReportFormat {
  if (name === 'json') return jsonFormat();
  if (name === 'sarif') return sarifFormat(builtinRegistry.list());
  return stylishFormat(picocolors.createColors(color));
}

/** Streams pieces of `reportFormat(name, color)` to `write`, with what goes around them. */
export function reportWriter(
  name: FormatName,
  write: (chunk: string | Buffer) => void,
  color: boolean,
  cwd: string,
): ReportWriter {
  if (name === 'json') return jsonWriter(write);
  if (name === 'sarif') return sarifWriter(write, builtinRegistry.list(), packageInfo(), cwd);
  return stylishWriter(write, picocolors.createColors(color));
}
