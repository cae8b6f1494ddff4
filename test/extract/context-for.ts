/**
 * The extract context for a test document: from the real block pass once `parse()` exposes it,
 * from the local stand-in until then.
 */
import type { ExtractContext } from '../../src/core/parse/context.js';
import { buildContext } from './build-context.js';

export async function contextFor(text: string, fileName: string | null = null): Promise<ExtractContext> {
  return buildContext(text, fileName);
}
