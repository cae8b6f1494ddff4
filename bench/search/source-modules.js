/**
 * Imports designdoc's TypeScript sources for a benchmark without a build: a Vite SSR module
 * runner that stays open for the whole run, because the data layer loads some modules lazily
 * (the PostgreSQL driver), and `runnerImport` closes its runner once the first import returns.
 */
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

let runner = null;

/**
 * The module at `path` (relative to src/, e.g. `server/data/index.ts`).
 * @param {string} path
 */
export async function importSource(path) {
  if (runner === null) {
    const vite = await createServer({
      configFile: false,
      root: fileURLToPath(new URL('../..', import.meta.url)),
      appType: 'custom',
      logLevel: 'silent',
      server: { middlewareMode: true, hmr: false, watch: null },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    runner = createServerModuleRunner(vite.environments.ssr, { hmr: false });
  }
  return runner.import(fileURLToPath(new URL(`../../src/${path}`, import.meta.url)));
}
