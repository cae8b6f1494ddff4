// One designdoc server as its own OS process, straight from the TypeScript sources (a Vite SSR
// module runner transforms them and stays open for the server's lazy imports), for the
// multi-instance tests and bench/scale. Settings come as DESIGNDOC_* environment variables exactly
// as an operator would give them; prints `READY <url>` once listening.
import process from 'node:process';
import { URL } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const vite = await createServer({
  configFile: false,
  root: new URL('../..', import.meta.url).pathname,
  appType: 'custom',
  logLevel: 'silent',
  server: { middlewareMode: true, hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
const runner = createServerModuleRunner(vite.environments.ssr, { hmr: false });
const server = await runner.import(new URL('../../src/server/index.ts', import.meta.url).pathname);
const config = server.loadServerConfig({ flags: {}, env: process.env, cwd: process.cwd(), configFile: null });
const running = await server.startServer(config);
process.stdout.write(`READY ${running.url}\n`);
const stop = () => {
  running.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
