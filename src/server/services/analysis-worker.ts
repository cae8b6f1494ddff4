/**
 * An analysis worker thread (see analysis-pool.ts): starts with the server's templates, then
 * answers each request with the analysis a save stores or the HTML a render returns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WORKER_READY, type AnalysisReply, type AnalysisRequest, type WorkerSetup } from './analysis-pool.js';
import { analyzeText } from './document-analysis.js';
import type * as RenderText from './render-text.js';

const port = parentPort;
if (port === null) throw new Error('analysis-worker.js runs only as a worker thread');
const { templates } = workerData as WorkerSetup;
const ctx = { templates: new Map(templates.map((schema) => [schema.name, schema])) };

/** The renderer (markdown-it, the sanitiser) loads on the first render: most workers only analyse. */
let renderer: Promise<typeof RenderText> | null = null;

port.on('message', async (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    if (request.kind === 'render') {
      // A failed load is not kept: the next render tries again.
      const { renderDocumentText } = await (renderer ??= import('./render-text.js').catch(
        (error: unknown) => {
          renderer = null;
          throw error;
        },
      ));
      reply = { id: request.id, html: renderDocumentText(request.text, request.fileName) };
    } else {
      const { doc: _doc, schema: _schema, ...stored } = analyzeText(ctx, request.text, request.options);
      reply = { id: request.id, analysis: stored };
    }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
// Listening: the pool starts a request's clock from here, not from the worker's start-up.
port.postMessage(WORKER_READY);
