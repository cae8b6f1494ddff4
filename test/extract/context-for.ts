/**
 * The extract context for a test document, built by the real block pass and section tree exactly
 * as `parse()` builds it, so the extractors are tested on what they will see in production and can
 * be timed on their own.
 */
import type { ExtractContext } from '../../src/core/parse/context.js';
import { buildExtractContext } from '../../src/core/parse/index.js';

export function contextFor(text: string, fileName: string | null = null): ExtractContext {
  return buildExtractContext(text, fileName);
}
