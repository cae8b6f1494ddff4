// One designdoc server as its own OS process, straight from the TypeScript sources (Vite's module
// runner transforms them), for the multi-instance tests. Settings come as DESIGNDOC_* environment
// variables exactly as an operator would give them; prints `READY <url>` once listening.
import { runnerImport } from 'vite';

const { module: server } = await runnerImport(new URL('../../src/server/index.ts', import.meta.url).pathname);
const config = server.loadServerConfig({ flags: {}, env: process.env, cwd: process.cwd(), configFile: null });
const running = await server.startServer(config);
process.stdout.write(`READY ${running.url}\n`);
const stop = () => {
  running.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
