/**
 * Usage errors: a `DesignDocError` with code `DD_E_USAGE` that carries the command's usage line, so
 * the one top-level catch can print both.
 */
import { DesignDocError } from '../core/errors.js';

/** A `DD_E_USAGE` error; `usage` is printed on the line after the message. */
export function usageError(message: string, usage: string): DesignDocError {
  return new DesignDocError('DD_E_USAGE', message, { details: { usage } });
}
