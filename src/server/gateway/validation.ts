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

export function installValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    if (!(Kind in (schema as object)))
      throw new Error(`Route ${url}: the ${httpPart} schema is not a TypeBox schema.`);
    const typed = schema as TSchema;
    // Compiled on first use: compiling every route's schemas up front costs start-up time.
    let checker: ReturnType<typeof TypeCompiler.Compile> | null = null;
    const convert = httpPart !== 'body';
    const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
    return (data: unknown) => {
      checker ??= TypeCompiler.Compile(typed);
      const value = convert ? Value.Convert(typed, data) : data;
      if (checker.Check(value)) return { value };
      const first = checker.Errors(value).First();
      const field = first?.path.replace(/^\//, '').replace(/\//g, '.') ?? '';
      const message = first?.message.replace(/\.$/, '') ?? 'Invalid value';
      const detail = /unexpected property/i.test(message)
        ? 'is not a known field'
        : /required property/i.test(message)
          ? 'is required'
          : `is not valid: ${message.toLowerCase()}`;
      return {
        error: new DesignDocError('DD_E_VALIDATION', `${part}${field ? `.${field}` : ''} ${detail}.`, {
          location: field ? { field } : {},
        }),
      };
    };
  });
}
