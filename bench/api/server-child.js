/**
 * One server process for the API benchmark, so the load generator never shares a CPU thread with
 * what it measures. Modes:
 *   designdoc <dataDir>  — the real server (built dist/) over a data folder the parent prepared
 *   bare <payloads.json> — a bare Fastify app answering each benchmarked path with the same bytes
 *                          from a Map: the ceiling for those payloads on this machine
 * Prints one JSON line `{ "port": N }` when listening; exits on SIGTERM.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [mode, arg] = process.argv.slice(2);
const dist = process.env.DESIGNDOC_DIST ?? join(import.meta.dirname, '../../dist');

if (mode === 'bare') {
  const { default: Fastify } = await import('fastify');
  const payloads = JSON.parse(readFileSync(arg, 'utf8'));
  const bodies = new Map(
    payloads.map((p) => [p.path, { type: p.contentType, body: Buffer.from(p.body, 'utf8') }]),
  );
  const app = Fastify({ logger: false });
  app.all('/*', async (request, reply) => {
    // Every PUT is a save: answered with a real save's bytes, its JSON body parsed like the real one.
    const hit = bodies.get(request.method === 'PUT' ? 'PUT' : request.url);
    if (!hit) return reply.status(404).send();
    return reply.type(hit.type).send(hit.body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ port: app.server.address().port })}\n`);
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
} else if (mode === 'designdoc') {
  const { defaultServerConfig, startServer } = await import(
    pathToFileURL(join(dist, 'server/index.js')).href
  );
  const config = {
    ...defaultServerConfig(arg),
    port: 0,
    host: '127.0.0.1',
    dataDir: arg,
    logLevel: 'silent',
    rateLimitPerMinute: 0,
    loadExamples: false,
    webDist: join(arg, 'no-web'),
    // To compare with and without analysis threads: DESIGNDOC_ANALYSIS_THREADS=N.
    ...(process.env.DESIGNDOC_ANALYSIS_THREADS === undefined
      ? {}
      : { analysisThreads: Number(process.env.DESIGNDOC_ANALYSIS_THREADS) }),
  };
  const server = await startServer(config);
  process.stdout.write(`${JSON.stringify({ port: server.app.server.address().port })}\n`);
  process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
} else {
  process.stderr.write('usage: server-child.js designdoc <dataDir> | bare <payloads.json>\n');
  process.exit(2);
}
