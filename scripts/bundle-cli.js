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
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}dist/bundle`;
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
  // Bare specifiers (`node:fs`, `fastify`, …) are left to Node, except the lint path's small ones.
  external: (id) => /^[^./]/.test(id) && !INLINED.test(id),
  logLevel: 'warn',
  output: {
    dir: outDir,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
  },
});
