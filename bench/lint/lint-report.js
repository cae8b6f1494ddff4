/**
 * Turns a lint-benchmark result into verdicts and tables: the targets of issue 2 checked honestly
 * (met, not met, or not measured), a console report and the markdown used in BENCHMARKS.md.
 */
import { formatMarkdownTable, formatTextTable } from '../shared/format-table.js';

/** The document count the targets are stated for; smaller runs are "scaled" and say so. */
export const FULL_SCALE_DOCS = 10_000;

export const TARGETS = {
  endToEndRatio: 50,
  parseMbPerSec: 60,
  peakRssMiB: 300,
};

const MARKDOWNLINT_TOOLS = ['markdownlint (library API)', 'markdownlint-cli2'];

function endToEnd(dataset, tool) {
  const entry = dataset?.endToEnd.find((e) => e.tool === tool);
  return entry?.ok ? entry : null;
}

function parser(dataset, name) {
  const entry = dataset?.parse.find((p) => p.parser === name);
  return entry && !entry.error ? entry : null;
}

/**
 * designdoc's end-to-end throughput divided by each markdownlint variant's, per dataset. The
 * target is judged against the faster markdownlint variant, the stricter comparison.
 */
export function ratios(dataset) {
  const designdoc = endToEnd(dataset, 'designdoc lint');
  const out = {};
  for (const tool of MARKDOWNLINT_TOOLS) {
    const other = endToEnd(dataset, tool);
    out[tool] = designdoc && other ? designdoc.mbPerSec / other.mbPerSec : null;
    out[`cpu vs ${tool}`] =
      designdoc?.mbPerCpuSec && other?.mbPerCpuSec ? designdoc.mbPerCpuSec / other.mbPerCpuSec : null;
  }
  const dd = parser(dataset, 'designdoc');
  for (const name of ['commonmark', 'markdown-it']) {
    const other = parser(dataset, name);
    out[`parse vs ${name}`] = dd && other ? dd.mbPerSec / other.mbPerSec : null;
  }
  return out;
}

/**
 * The three targets of issue 2, each `{ id, description, target, actual, met, note }`; `met` is
 * null when the figure was not measured (tool skipped or failed, corpus absent).
 */
export function evaluateTargets(result) {
  const targets = [];
  const scaled = !result.config.fullScale;
  const scaledNote = scaled ? `scaled run (${result.config.docs} documents): indicative only` : null;
  for (const dataset of result.datasets) {
    const r = ratios(dataset);
    const measured = MARKDOWNLINT_TOOLS.map((tool) => r[tool]).filter((value) => value !== null);
    const worst = measured.length > 0 ? Math.min(...measured) : null;
    targets.push({
      id: `end-to-end-ratio-${dataset.id}`,
      description: `designdoc lint end-to-end throughput ÷ markdownlint's (the faster of library API and cli2), ${dataset.label}`,
      target: `≥ ${TARGETS.endToEndRatio}×`,
      actual: worst,
      unit: '×',
      met: worst === null ? null : worst >= TARGETS.endToEndRatio,
      note: scaledNote,
    });
  }
  const corpus = result.datasets.find((d) => d.id === 'corpus');
  const parse = parser(corpus, 'designdoc');
  targets.push({
    id: 'parse-throughput-corpus',
    description: 'designdoc parse() to model, in-process, shared corpus (median pass)',
    target: `≥ ${TARGETS.parseMbPerSec} MB/s`,
    actual: parse ? parse.mbPerSec : null,
    unit: 'MB/s',
    met: parse ? parse.mbPerSec >= TARGETS.parseMbPerSec : null,
    note: corpus ? null : 'shared corpus not measured',
  });
  const generated = endToEnd(
    result.datasets.find((d) => d.id === 'generated'),
    'designdoc lint',
  );
  targets.push({
    id: 'peak-rss-generated',
    description: `designdoc lint peak RSS on ${result.config.docs.toLocaleString('en-US')} generated documents`,
    target: `≤ ${TARGETS.peakRssMiB} MiB (for ${FULL_SCALE_DOCS.toLocaleString('en-US')} documents)`,
    actual: generated?.peakRssMiB ?? null,
    unit: 'MiB',
    met: generated?.peakRssMiB == null ? null : generated.peakRssMiB <= TARGETS.peakRssMiB,
    note: scaledNote,
  });
  return targets;
}

const fixed = (value, digits) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const thousands = (value) =>
  value === null || value === undefined ? '–' : Math.round(value).toLocaleString('en-US');

function endToEndRows(dataset) {
  return dataset.endToEnd.map((entry) =>
    entry.ok
      ? [
          entry.tool,
          fixed(entry.wallMs / 1000, 2),
          fixed(entry.mbPerSec, 2),
          thousands(entry.docsPerSec),
          fixed(entry.peakRssMiB, 0),
          fixed(entry.cpuMs == null ? null : entry.cpuMs / 1000, 2),
          fixed(entry.mbPerCpuSec, 2),
        ]
      : [`${entry.tool} (FAILED: ${entry.error})`, '–', '–', '–', '–', '–', '–'],
  );
}

function parseRows(dataset) {
  return dataset.parse.map((entry) =>
    entry.error
      ? [`${entry.parser} (not measured: ${entry.error})`, '–', '–', '–']
      : [
          parserLabel(entry.parser),
          fixed(entry.mbPerSec, 1),
          fixed(entry.bestMbPerSec, 1),
          thousands(entry.docsPerSec),
        ],
  );
}

function parserLabel(name) {
  return name === 'designdoc'
    ? 'designdoc parse() → model'
    : name === 'commonmark'
      ? 'commonmark.js (AST)'
      : 'markdown-it (tokens)';
}

const verdict = (met) => (met === null ? 'NOT MEASURED' : met ? 'met' : 'NOT MET');

function ratioLines(dataset) {
  const times = (value) => (value === null ? '–' : `${value.toFixed(1)}×`);
  return Object.entries(ratios(dataset)).map(([name, value]) => {
    if (name.startsWith('parse vs '))
      return `designdoc parse ÷ ${name.slice('parse vs '.length)} parse: ${times(value)}`;
    if (name.startsWith('cpu vs '))
      return `designdoc lint ÷ ${name.slice('cpu vs '.length)}, per CPU second: ${times(value)}`;
    return `designdoc lint ÷ ${name}, end to end (wall time): ${times(value)}`;
  });
}

const E2E_HEADERS = [
  'end to end (child process)',
  'wall s',
  'MB/s',
  'docs/s',
  'peak RSS MiB',
  'CPU s',
  'MB per CPU s',
];
const PARSE_HEADERS = ['parse to model (in-process)', 'MB/s median', 'MB/s best', 'docs/s'];

/** Where designdoc's time went, from a `--profile` run. */
function formatProfile(profile) {
  const rows = (entries) => entries.map((e) => [e.name, String(e.ms), `${(e.share * 100).toFixed(1)}%`]);
  return [
    `designdoc lint CPU profile (${profile.totalMs} ms sampled):`,
    '',
    formatTextTable(['self time by file', 'ms', 'share'], rows(profile.selfByFile)),
    '',
    formatTextTable(['inclusive time by function', 'ms', 'share'], rows(profile.inclusiveByFunction)),
  ];
}

/** The report printed at the end of a run. */
export function formatConsoleReport(result) {
  const out = [''];
  out.push(`designdoc lint benchmark, ${result.date}`);
  out.push(
    `${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}, ${result.machine.os}`,
  );
  if (result.loadAverage) {
    const [before, after] = [result.loadAverage.before[0], result.loadAverage.after[0]];
    out.push(
      `1-minute load average: ${before} at the start, ${after} at the end (${result.machine.cores} cores)`,
    );
  }
  if (!result.config.fullScale)
    out.push(
      `SCALED RUN: ${result.config.docs} generated documents (targets are stated for ${FULL_SCALE_DOCS})`,
    );
  for (const note of result.notes) out.push(`note: ${note}`);
  for (const dataset of result.datasets) {
    out.push(
      '',
      `${dataset.label}: ${dataset.files.toLocaleString('en-US')} files, ${(dataset.bytes / 1e6).toFixed(1)} MB`,
      '',
    );
    out.push(formatTextTable(E2E_HEADERS, endToEndRows(dataset)));
    if (dataset.parse.length > 0) out.push('', formatTextTable(PARSE_HEADERS, parseRows(dataset)));
    out.push('', ...ratioLines(dataset));
    const profile = dataset.endToEnd.find((e) => e.tool === 'designdoc lint')?.profile;
    if (profile) out.push('', ...formatProfile(profile));
  }
  out.push('', 'Targets:');
  for (const target of result.targets) {
    const actual = target.actual === null ? '–' : `${target.actual.toFixed(1)} ${target.unit}`;
    out.push(
      `  [${verdict(target.met)}] ${target.description}: ${actual} (target ${target.target})${target.note ? `; ${target.note}` : ''}`,
    );
  }
  return out.join('\n');
}

/** The same results as markdown, for the Lint section of BENCHMARKS.md. */
export function formatMarkdownReport(result) {
  const out = [];
  for (const dataset of result.datasets) {
    out.push(
      `#### ${dataset.label}: ${dataset.files.toLocaleString('en-US')} files, ${(dataset.bytes / 1e6).toFixed(1)} MB`,
      '',
    );
    out.push(formatMarkdownTable(E2E_HEADERS, endToEndRows(dataset)), '');
    if (dataset.parse.length > 0) out.push(formatMarkdownTable(PARSE_HEADERS, parseRows(dataset)), '');
    out.push(...ratioLines(dataset).map((line) => `- ${line}`), '');
  }
  out.push('#### Targets', '');
  out.push(
    formatMarkdownTable(
      ['target', 'required', 'measured', 'verdict'],
      result.targets.map((t) => [
        t.description,
        t.target,
        t.actual === null ? '–' : `${t.actual.toFixed(1)} ${t.unit}`,
        verdict(t.met),
      ]),
    ),
  );
  return out.join('\n');
}
