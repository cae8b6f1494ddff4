/**
 * A lint worker thread: opens the same session as the main thread (config, templates), then lints
 * each batch it is sent and posts back the formatted outcomes. See `worker-pool.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDocumentSession } from '../document-session.js';
import { createFileLinter, encodePieces, type FileOutcome } from './file-linter.js';
import { reportFormat } from './report-formats.js';
import { WORKER_MAX_FILE_SIZE, type FromWorker, type ToWorker, type WorkerSetup } from './worker-pool.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error('lint-worker.js runs only as a worker thread');

const session = await openDocumentSession(
  { cwd: setup.cwd },
  { configFile: setup.configFile, template: setup.template },
);
const lintFile = createFileLinter(
  session,
  setup.options,
  reportFormat(setup.format, setup.color),
  WORKER_MAX_FILE_SIZE,
);

/** Files per message back: few enough that a dying worker loses little, many enough to be cheap. */
const OUTCOMES_PER_MESSAGE = 8;

port.on('message', (message: ToWorker) => {
  let current: string | null = null;
  try {
    let first = message.first;
    let outcomes: Array<FileOutcome | null> = [];
    message.tasks.forEach((task, offset) => {
      current = task.display;
      outcomes.push(lintFile(task));
      if (outcomes.length === OUTCOMES_PER_MESSAGE || offset === message.tasks.length - 1) {
        const reply: FromWorker = { first, outcomes };
        const bytes = encodePieces(outcomes);
        port.postMessage(reply, bytes === null ? [] : [bytes]);
        first = message.first + offset + 1;
        outcomes = [];
      }
    });
  } catch (error) {
    const reply: FromWorker = {
      crash: {
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
        file: current,
      },
    };
    port.postMessage(reply);
  }
});
