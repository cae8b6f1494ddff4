/**
 * A document's text → its HTML fragment: the parser's model (for section anchors) through the core
 * renderer. Rendering needs no template and no lint, so it parses and nothing more. `renderText`
 * does it on an analysis thread when the server has one: a large document (a megabyte-sized table
 * takes seconds) must not hold up every other request on the event loop.
 */
import { parse } from '../../core/parse/index.js';
import { render } from '../../core/render/index.js';
import type { DesignDocError } from '../../core/errors.js';
import { sha256Digest } from '../../node/sha256.js';
import { isAnalysisTimeout } from './analysis-pool.js';
import type { ServiceContext } from './service-context.js';

export function renderDocumentText(text: string, fileName: string | null): string {
  return render(parse(text, fileName === null ? {} : { fileName }));
}

/**
 * Texts whose render ran out of time, by SHA-256, per analysis pool: asking again within
 * `REMEMBER_MS` gets the same answer at once instead of stopping another worker after the full
 * time limit. Forgotten after that (the limit counts the worker's time, which a loaded host
 * stretches: a render that failed in a busy minute may pass later), and the oldest first past
 * `REMEMBERED`.
 */
const TIMED_OUT = new WeakMap<object, Map<string, { error: DesignDocError; at: number }>>();
const REMEMBERED = 256;
const REMEMBER_MS = 10 * 60_000;

function remembered(pool: object, key: string): DesignDocError | null {
  const known = TIMED_OUT.get(pool);
  const entry = known?.get(key);
  if (known === undefined || entry === undefined) return null;
  if (Date.now() - entry.at < REMEMBER_MS) return entry.error;
  known.delete(key);
  return null;
}

function remember(pool: object, key: string, error: DesignDocError): void {
  let known = TIMED_OUT.get(pool);
  if (known === undefined) {
    known = new Map();
    TIMED_OUT.set(pool, known);
  }
  known.delete(key);
  known.set(key, { error, at: Date.now() });
  if (known.size > REMEMBERED) known.delete(known.keys().next().value as string);
}

/** `renderDocumentText`, on an analysis thread when there is one (inline if it fails). */
export async function renderText(
  ctx: Pick<ServiceContext, 'analysis'>,
  text: string,
  fileName: string | null,
): Promise<string> {
  const pool = ctx.analysis;
  if (pool) {
    const key = `${fileName ?? ''}\u0000${sha256Digest(text, 'base64url')}`;
    const timedOut = remembered(pool, key);
    if (timedOut) throw timedOut;
    try {
      return await pool.render(text, fileName);
    } catch (error) {
      if (isAnalysisTimeout(error)) {
        remember(pool, key, error);
        throw error;
      }
      // The worker failed (a document too large even for its heap): rendered here instead.
    }
  }
  return renderDocumentText(text, fileName);
}
