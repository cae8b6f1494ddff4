/**
 * Errors as `application/problem+json` (RFC 9457) with the stable codes of `core/errors.ts`. The
 * one place that maps a code to an HTTP status; services never see HTTP.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DesignDocError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  DD_E_FILE_NOT_FOUND: 404,
  DD_E_FILE_UNREADABLE: 400,
  DD_E_NOT_MARKDOWN: 400,
  DD_E_BINARY_FILE: 400,
  DD_E_INVALID_UTF8: 400,
  DD_E_FILE_TOO_LARGE: 413,
  DD_E_FILE_EXISTS: 409,
  DD_E_FILE_UNWRITABLE: 500,
  DD_E_CONFIG_INVALID: 400,
  DD_E_TEMPLATE_INVALID: 400,
  DD_E_TEMPLATE_NOT_FOUND: 400,
  DD_E_USAGE: 400,
  DD_E_VALIDATION: 400,
  DD_E_NOT_FOUND: 404,
  DD_E_METHOD_NOT_ALLOWED: 405,
  DD_E_CONFLICT: 409,
  DD_E_PRECONDITION_REQUIRED: 428,
  DD_E_PRECONDITION_FAILED: 412,
  DD_E_TRANSITION_REFUSED: 409,
  DD_E_UNAUTHENTICATED: 401,
  DD_E_FORBIDDEN: 403,
  DD_E_RATE_LIMITED: 429,
  DD_E_PAYLOAD_TOO_LARGE: 413,
  DD_E_UNSUPPORTED_MEDIA_TYPE: 415,
  DD_E_TOO_COMPLEX: 422,
  DD_E_SEARCH_SYNTAX: 400,
  // Backup and restore run from the CLI; no route raises these today.
  DD_E_TOOL_MISSING: 500,
  DD_E_BACKUP_FAILED: 500,
  DD_E_BACKUP_WRONG_KIND: 400,
  DD_E_DATABASE_NOT_EMPTY: 409,
  // Raised when a command or the server starts; no route raises it today.
  DD_E_DATABASE_UNREACHABLE: 503,
  DD_E_INTERNAL: 500,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  requestId: string;
  field?: string;
  details?: Record<string, unknown>;
}

/** The HTTP status for a coded error; a stale write is 412 Precondition Failed. */
export function statusOf(error: DesignDocError): number {
  if (error.code === 'DD_E_CONFLICT' && error.details.stale === true) return 412;
  return STATUS_BY_CODE[error.code];
}

/** A body in a type the route does not read (`expected`: what it does read), or with none. */
export function unsupportedMediaType(
  contentType: string | undefined,
  expected: string,
  cause?: unknown,
): DesignDocError {
  return new DesignDocError(
    'DD_E_UNSUPPORTED_MEDIA_TYPE',
    contentType === undefined || contentType.trim() === ''
      ? `The request has a body but no Content-Type; send ${expected}.`
      : `The request body's Content-Type "${contentType}" is not one this endpoint reads; send ${expected}.`,
    { location: { field: 'content-type' }, ...(cause === undefined ? {} : { cause }) },
  );
}

/** Charsets whose bytes are UTF-8's (ASCII is a subset); a body in any other is refused. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * A 415 for a body declared in a charset other than UTF-8 (`application/json; charset=latin1`),
 * which would otherwise be decoded as UTF-8 and stored garbled or refused as invalid; null when
 * the Content-Type names no charset or UTF-8.
 */
export function unsupportedCharset(contentType: string | undefined): DesignDocError | null {
  // Every UTF-8 spelling counts as one charset.
  const charsets = [
    ...new Set(charsetParameters(contentType ?? '').map((c) => (UTF8_CHARSETS.has(c) ? 'utf-8' : c))),
  ];
  const refuse = (why: string) =>
    new DesignDocError(
      'DD_E_UNSUPPORTED_MEDIA_TYPE',
      `The request body's Content-Type "${contentType}" ${why}; this API reads UTF-8 only (send charset=utf-8, or none).`,
      { location: { field: 'content-type' } },
    );
  if (charsets.length > 1) return refuse(`names ${charsets.length} charsets (${charsets.join(', ')})`);
  const charset = charsets[0];
  if (charset === undefined || UTF8_CHARSETS.has(charset)) return null;
  return refuse(charset === '' ? 'names an empty charset' : `names the charset "${charset}"`);
}

/**
 * The values of every `charset` parameter of a media type (RFC 9110 §5.6.6: `; name=value`, the
 * value a token or a quoted string), lower-cased. The parameters are split at the semicolons
 * outside quoted strings, so a `charset=` inside another parameter's quoted value is not taken for
 * one, and one parameter that does not parse (`; foo`, `;;`) does not hide those after it.
 */
function charsetParameters(contentType: string): string[] {
  const segments: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < contentType.length; i++) {
    const c = contentType[i] as string;
    if (quoted && c === '\\') {
      current += c + (contentType[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      segments.push(current);
      current = '';
    } else current += c;
  }
  segments.push(current);
  const found: string[] = [];
  // The first segment is the type itself.
  for (const segment of segments.slice(1)) {
    const equals = segment.indexOf('=');
    if (equals === -1 || segment.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const value = segment.slice(equals + 1).trim();
    const unquoted = /^"((?:[^"\\]|\\.)*)"$/.exec(value)?.[1]?.replace(/\\(.)/g, '$1') ?? value;
    found.push(unquoted.toLowerCase());
  }
  return found;
}

/**
 * Maps anything thrown in a request into a DesignDocError (Fastify's own errors included).
 * `contentType` is the request's Content-Type header, named when it is what was refused, and
 * `expected` the media type the route reads, suggested instead; `bodyLimit` the route's body limit
 * in bytes, stated when a body exceeds it.
 */
export function toDesignDocError(
  error: unknown,
  contentType?: string,
  expected = 'application/json',
  bodyLimit?: number,
): DesignDocError {
  if (error instanceof DesignDocError) return error;
  const fe = error as FastifyError & {
    validation?: Array<{
      instancePath: string;
      message?: string;
      params?: Record<string, unknown>;
      keyword: string;
    }>;
  };
  if (fe && Array.isArray(fe.validation)) {
    const first = fe.validation[0];
    const where = (fe.validationContext ?? 'body') as string;
    let field = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? '';
    let message = first?.message ?? 'is not valid';
    if (first?.keyword === 'additionalProperties') {
      const extra = String(first.params?.additionalProperty ?? '');
      field = field ? `${field}.${extra}` : extra;
      message = `is not a known field`;
    } else if (first?.keyword === 'required') {
      const missing = String(first.params?.missingProperty ?? '');
      field = field ? `${field}.${missing}` : missing;
      message = 'is required';
    }
    return new DesignDocError('DD_E_VALIDATION', `${where}${field ? `.${field}` : ''} ${message}.`, {
      location: field ? { field } : {},
      cause: error,
    });
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DesignDocError(
        'DD_E_PAYLOAD_TOO_LARGE',
        bodyLimit === undefined
          ? 'The request body is larger than the limit.'
          : `The request body is larger than the limit of ${bodyLimit} bytes.`,
        { cause: error },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(contentType, expected, error);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DesignDocError('DD_E_VALIDATION', 'The JSON body is empty.', { cause: error });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DesignDocError('DD_E_VALIDATION', 'The Content-Length does not match the body.', {
        cause: error,
      });
  }
  if (fe?.statusCode === 429)
    return new DesignDocError('DD_E_RATE_LIMITED', fe.message || 'Too many requests; retry later.', {
      cause: error,
    });
  if (fe instanceof SyntaxError || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new DesignDocError('DD_E_VALIDATION', `The body is not valid JSON: ${fe.message}`, {
      cause: error,
    });
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new DesignDocError(fe.statusCode === 404 ? 'DD_E_NOT_FOUND' : 'DD_E_VALIDATION', fe.message, {
      cause: error,
    });
  }
  return new DesignDocError(
    'DD_E_INTERNAL',
    'An unexpected internal error; it has been logged with the request id.',
    { cause: error },
  );
}

/** Sends the problem document for `error`. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: DesignDocError,
): FastifyReply {
  const status = statusOf(error);
  const body: Problem = {
    type: `https://designdoc.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_CODES[error.code],
    status,
    detail: error.message,
    code: error.code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
  };
  if (error.location.field) body.field = error.location.field;
  const details = { ...error.details };
  if (Object.keys(details).length > 0) body.details = details;
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="designdoc"');
  if (typeof details.currentRevision === 'number') reply.header('etag', `"${details.currentRevision}"`);
  return reply.status(status).type('application/problem+json').send(body);
}
