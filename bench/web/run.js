#!/usr/bin/env node
// Web UI performance, measured in Debian's Chromium with the Performance API:
//   1. the initial JavaScript the SPA loads (entry + modulepreloads), gzipped — target ≤ 250 KB;
//   2. with 10,000 documents on the server, the dashboard renders in under 1 s;
//   3. a 400 KB document renders in the document view in under 1 s.
// Usage: npm run build && node bench/web/run.js [--docs 10000]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchArgs, positiveInteger } from '../shared/bench-args.js';
import { describeMachine } from '../shared/describe-machine.js';
import { generateDesignDocument } from '../shared/design-document-generator.js';
import { formatTextTable } from '../shared/format-table.js';
import { repoRoot } from '../shared/markdown-files.js';

const USAGE = 'usage: npm run build && node bench/web/run.js [--docs 10000]\n';
const values = benchArgs('bench:web', USAGE, { docs: { type: 'string', default: '10000' } });
const docCount = positiveInteger('bench:web', USAGE, 'docs', values.docs);
const dist = join(repoRoot, 'web', 'dist');

function initialJavaScript() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
  ].map((m) => m[1]);
  const sizes = files.map((file) => {
    const bytes = readFileSync(join(dist, file.replace(/^\//, '')));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return {
    files: sizes,
    raw: sizes.reduce((a, s) => a + s.raw, 0),
    gzip: sizes.reduce((a, s) => a + s.gzip, 0),
  };
}

/** A large but realistic document: the generated design document with its sections repeated. */
function largeDocument(targetBytes) {
  const base = generateDesignDocument(7, 1);
  const [head, ...rest] = base.split('\n## ');
  let body = head;
  let round = 0;
  while (body.length < targetBytes) {
    round++;
    body += rest.map((section) => `\n## ${section.replace(/^([^\n]*)/, `$1 (part ${round})`)}`).join('');
  }
  return body;
}

const { startServer, defaultServerConfig } = await import(join(repoRoot, 'dist', 'server', 'index.js'));
const services = await import(join(repoRoot, 'dist', 'server', 'services', 'index.js'));
const { chromium } = await import('playwright-core');

const dataDir = mkdtempSync(join(tmpdir(), 'designdoc-bench-web-'));
const server = await startServer({
  ...defaultServerConfig(dataDir),
  dataDir,
  port: 0,
  logLevel: 'silent',
  loadExamples: false,
  webDist: dist,
});
const admin = server.initialAdmin;
const adminUser = await server.ctx.db.getUserByName('admin');
const actor = services.systemActor(adminUser);

console.error(`seeding ${docCount} documents…`);
const seedStart = performance.now();
for (let i = 0; i < docCount; i++) {
  await services.createDocument(server.ctx, actor, {
    markdown: generateDesignDocument(20261127, i),
    path: `bench/doc-${i}.md`,
  });
  if (i % 1000 === 999)
    console.error(`  ${i + 1} (${((performance.now() - seedStart) / 1000).toFixed(1)} s)`);
}
const big = largeDocument(400 * 1024);
const bigRecord = await services.createDocument(server.ctx, actor, { markdown: big, path: 'bench/large.md' });

const browser = await chromium.launch({
  executablePath: process.env.DESIGNDOC_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${server.url}/`);
await page.fill('#username', admin.username);
await page.fill('#password', admin.password);
await page.click('button[type=submit]');
await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

/** Navigates with a full load and returns ms from navigation start until `ready` is true. */
async function timeTo(url, ready, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(url);
    await page.waitForFunction(ready, undefined, { timeout: 30_000, polling: 'raf' });
    times.push(await page.evaluate(() => performance.now()));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
}

const dashboard = await timeTo(
  `${server.url}/`,
  () => document.querySelectorAll('.card').length >= 6 && !document.body.textContent?.includes('Loading…'),
);
const documentView = await timeTo(
  `${server.url}/d/${bigRecord.slug}`,
  () =>
    (document.querySelector('.rendered')?.textContent?.length ?? 0) > 100_000 &&
    document.querySelectorAll('.outline li').length > 50,
);
await browser.close();
await server.close();
rmSync(dataDir, { recursive: true, force: true });

const js = initialJavaScript();
const result = {
  date: new Date().toISOString(),
  machine: describeMachine(),
  documents: docCount,
  largeDocumentBytes: Buffer.byteLength(big),
  initialJavaScript: js,
  dashboardMs: dashboard,
  largeDocumentMs: documentView,
  targets: {
    initialJsGzipKB: { target: 250, actual: +(js.gzip / 1024).toFixed(1), met: js.gzip <= 250 * 1024 },
    dashboardMs: { target: 1000, actual: +dashboard.median.toFixed(0), met: dashboard.median < 1000 },
    largeDocumentMs: {
      target: 1000,
      actual: +documentView.median.toFixed(0),
      met: documentView.median < 1000,
    },
  },
};
mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
const out = join(repoRoot, 'bench', 'results', `web-${result.date.slice(0, 10)}.json`);
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  formatTextTable(
    ['measure', 'result', 'target', 'met'],
    [
      [
        'initial JS (gzip)',
        `${(js.gzip / 1024).toFixed(1)} KB (${js.files.length} files, ${(js.raw / 1024).toFixed(0)} KB raw)`,
        '≤ 250 KB',
        result.targets.initialJsGzipKB.met ? 'yes' : 'NO',
      ],
      [
        `dashboard, ${docCount} docs`,
        `${dashboard.median.toFixed(0)} ms median (min ${dashboard.min.toFixed(0)}, max ${dashboard.max.toFixed(0)})`,
        '< 1000 ms',
        result.targets.dashboardMs.met ? 'yes' : 'NO',
      ],
      [
        `document view, ${(result.largeDocumentBytes / 1024).toFixed(0)} KB`,
        `${documentView.median.toFixed(0)} ms median (min ${documentView.min.toFixed(0)}, max ${documentView.max.toFixed(0)})`,
        '< 1000 ms',
        result.targets.largeDocumentMs.met ? 'yes' : 'NO',
      ],
    ],
  ),
);
console.log(`results: ${out}`);
