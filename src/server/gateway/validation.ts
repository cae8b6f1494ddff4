/**
 * Request validation with TypeBox's compiler: bodies are checked exactly as sent (no type
 * coercion: `42` is not a markdown string; unknown fields are refused, never stripped), while
 * path and query strings are converted to the schema's types first. Failures are DD_E_VALIDATION
 * naming the part and the field.
 */
import type { FastifyInstance } from 'fastify';
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { DesignDocError } from '../../core/errors.js';
import { OPTIONAL_BODY } from './schemas.js';

const WHOLE_NUMBER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * TypeBox's conversion reads `1e9`, `1.5` or `0x10` in a query string as an integer by cutting it
 * short (`1e9` → 1), so a wrong number would be answered as if it were another. Strings for
 * number-typed properties must be written plainly; the first that is not is returned.
 */
function misreadNumber(
  schema: TSchema,
  data: unknown,
): { field: string; expected: string; raw: string } | null {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!properties || typeof data !== 'object' || data === null) return null;
  for (const [field, raw] of Object.entries(data as Record<string, unknown>)) {
    const property = properties[field];
    if (property === undefined || typeof raw !== 'string') continue;
    const kind = property[Kind];
    if (kind === 'Integer' && !WHOLE_NUMBER.test(raw.trim()))
      return { field, expected: 'a whole number', raw };
    if (kind === 'Number' && !DECIMAL.test(raw.trim())) return { field, expected: 'a number', raw };
  }
  return null;
}

/** The words a union of literals allows (`status=bogus`), so the refusal can list them. */
function literalChoices(schema: TSchema): string[] | null {
  const options = (schema as { anyOf?: TSchema[] }).anyOf;
  if (schema[Kind] !== 'Union' || !options) return null;
  const words: string[] = [];
  for (const option of options) {
    const value = (option as { const?: unknown }).const;
    if (option[Kind] !== 'Literal' || (typeof value !== 'string' && typeof value !== 'number')) return null;
    words.push(String(value));
  }
  return words;
}

export function installValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    if (!(Kind in (schema as object)))
      throw new Error(`Route ${url}: the ${httpPart} schema is not a TypeBox schema.`);
    const typed = schema as TSchema;
    // Compiled on first use: compiling every route's schemas up front costs start-up time.
    let checker: ReturnType<typeof TypeCompiler.Compile> | null = null;
    const convert = httpPart !== 'body';
    const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
    const optionalBody = httpPart === 'body' && (typed as Record<string, unknown>)[OPTIONAL_BODY] === true;
    const jsonObject = httpPart === 'body' && typed[Kind] === 'Object';
    return (data: unknown) => {
      // Fastify hands a request without a body over as null.
      if (optionalBody && (data === null || (Buffer.isBuffer(data) && data.length === 0)))
        return { value: undefined };
      // A text/markdown or text/plain body arrives as bytes: not the JSON object asked for (and
      // not to be read as an object whose fields are its byte offsets).
      if (jsonObject && Buffer.isBuffer(data))
        return {
          error: new DesignDocError(
            'DD_E_VALIDATION',
            'body is not valid: expected a JSON object (Content-Type: application/json).',
          ),
        };
      checker ??= TypeCompiler.Compile(typed);
      if (convert) {
        const misread = misreadNumber(typed, data);
        if (misread !== null)
          return {
            error: new DesignDocError(
              'DD_E_VALIDATION',
              `${part}.${misread.field} is not valid: expected ${misread.expected}, found ${JSON.stringify(misread.raw)}.`,
              { location: { field: misread.field } },
            ),
          };
      }
      const value = convert ? Value.Convert(typed, data) : data;
      if (checker.Check(value)) return { value };
      const first = checker.Errors(value).First();
      const field = first?.path.replace(/^\//, '').replace(/\//g, '.') ?? '';
      const words = first ? literalChoices(first.schema) : null;
      const message =
        words !== null
          ? `expected one of ${words.join(', ')}, found ${JSON.stringify(first?.value)}`
          : (first?.message.replace(/\.$/, '') ?? 'Invalid value');
      const detail = /unexpected property/i.test(message)
        ? 'is not a known field'
        : /required property/i.test(message)
          ? 'is required'
          : `is not valid: ${words !== null ? message : message.toLowerCase()}`;
      return {
        error: new DesignDocError('DD_E_VALIDATION', `${part}${field ? `.${field}` : ''} ${detail}.`, {
          location: field ? { field } : {},
        }),
      };
    };
  });
}
