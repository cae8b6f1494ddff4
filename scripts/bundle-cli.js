#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ from tsc's output in dist/ (run by `npm run build`).
 *
 * Why: loading the ~130 modules `designdoc lint` needs one by one took some 230 ms before the
 * first file was read, on the main thread and again in each lint worker; bundled, about 70 ms
 * (BENCHMARKS.md, lint). The library API (dist/core) stays one module per file; the server's
 * packages stay external and resolve from node_modules. The small packages the lint path loads
 * are bundled with it, since each costs a module load of its own.
 *
 * The bundle sits two folders below the package root, like the modules it is built from, so
 * their paths relative to `import.meta.url` (templates/, package.json, web/dist) resolve as
 * before, and the worker entries keep their names for `new URL('./lint-worker.js', …)`.
 *
 * The built-in templates are compiled here, by the same build's compiler, and their schemas travel
 * in the bundle (`globalThis.__DESIGNDOC_BUILTIN_TEMPLATES__`, see src/node/templates.ts): each
 * process and lint worker would otherwise compile them at start, some 65 ms.
 */
import { readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}dist/bundle`;
const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);

/** Each built-in template's source text and compiled schema, as JSON, by name. */
async function precompiledTemplates() {
  const { compileTemplate } = await dist('core/template/compile-template.js');
  const { builtinTemplateNames, builtinTemplatesDir } = await dist('node/templates.js');
  const table = {};
  for (const name of builtinTemplateNames()) {
    const path = join(builtinTemplatesDir(), `${name}.md`);
    // Decoded as the CLI decodes it at run time (a byte-order mark dropped), so the sources match.
    const source = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
    const schema = compileTemplate(name, source, { fileName: path });
    const json = JSON.stringify(schema);
    // A schema must survive JSON unchanged, or the bundle would lint against a different one.
    if (!isDeepStrictEqual(JSON.parse(json), schema))
      throw new Error(`bundle-cli: the schema of template ${name} does not survive JSON`);
    table[name] = { source, schema: json };
  }
  return table;
}

const templates = await precompiledTemplates();
const INLINED = /^(?:yaml|entities|tinyglobby|fdir|picomatch|picocolors)(?:\/|$)/;

// Chunk names carry content hashes: without a clean folder, old chunks would pile up.
rmSync(outDir, { recursive: true, force: true });
await build({
  cwd: root,
  input: {
    main: 'dist/cli/main.js',
    'lint-worker': 'dist/cli/lint/lint-worker.js',
    'analysis-worker': 'dist/server/services/analysis-worker.js',
  },
  platform: 'node',
  // Bare specifiers (`node:fs`, `fastify`, …) are left to Node, except the lint path's small ones;
  // resolved ids and absolute paths (`C:\…` included) are files of ours.
  external: (id, _importer, isResolved) =>
    !isResolved && !isAbsolute(id) && /^[^./]/.test(id) && !INLINED.test(id),
  transform: {
    // Parsed from one string literal: cheaper to load than the same data as an object literal.
    define: {
      'globalThis.__DESIGNDOC_BUILTIN_TEMPLATES__': `JSON.parse(${JSON.stringify(JSON.stringify(templates))})`,
    },
  },
  logLevel: 'warn',
  output: {
    dir: outDir,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
  },
});
