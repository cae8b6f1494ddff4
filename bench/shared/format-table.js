/**
 * Plain-text and markdown tables for benchmark reports, so every bench prints its results the
 * same way and BENCHMARKS.md can be filled from a result file rather than copied by hand.
 */

/**
 * A column-aligned text table. Cells are strings; columns after the first are right-aligned,
 * as they hold numbers.
 * @param {string[]} headers
 * @param {string[][]} rows
 * @returns {string}
 */
export function formatTextTable(headers, rows) {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * A GitHub-flavoured markdown table with numeric columns right-aligned.
 * @param {string[]} headers
 * @param {string[][]} rows
 * @returns {string}
 */
export function formatMarkdownTable(headers, rows) {
  const escape = (cell) => cell.replace(/\|/g, '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
