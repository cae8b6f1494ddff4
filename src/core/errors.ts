/**
 * One registry of error codes for everything designdoc can refuse to do.
 *
 * Errors are values with a stable code, a one-line message that names the problem, and where
 * known the file and position. The CLI prints them as `file:line:col: message [CODE]`, the server
 * maps them to problem+json. `docs/errors.md` documents every code; a test keeps the two in sync.
 */

export const ERROR_CODES = {
  DD_E_FILE_NOT_FOUND: 'The file or folder does not exist.',
  DD_E_FILE_UNREADABLE: 'The file could not be read (permissions, a device, or an I/O error).',
  DD_E_NOT_MARKDOWN: 'A folder or glob matched no markdown files.',
  DD_E_BINARY_FILE: 'The file holds binary data (NUL bytes), not markdown text.',
  DD_E_INVALID_UTF8: 'The file is not valid UTF-8.',
  DD_E_FILE_TOO_LARGE: 'The file is larger than the configured limit.',
  DD_E_FILE_EXISTS: 'The output file already exists; pass --force to overwrite it.',
  DD_E_FILE_UNWRITABLE: 'The file could not be written (permissions, a read-only file, or a full disk).',
  DD_E_CONFIG_INVALID: 'The configuration file is not valid JSON or does not match its schema.',
  DD_E_TEMPLATE_INVALID: 'A template could not be compiled into a schema.',
  DD_E_TEMPLATE_NOT_FOUND: 'No template has that name.',
  DD_E_USAGE: 'The command line is not valid.',
  DD_E_VALIDATION: 'A request or value does not match its schema.',
  DD_E_NOT_FOUND: 'The requested resource does not exist.',
  DD_E_METHOD_NOT_ALLOWED: 'The resource exists but does not support this HTTP method.',
  DD_E_CONFLICT:
    'The write conflicts with the document as it is now: a newer revision, an archived document, or an id in use.',
  DD_E_PRECONDITION_REQUIRED: 'A write needs the revision it was based on (If-Match).',
  DD_E_PRECONDITION_FAILED: 'If-Match names no exact revision of the document (a weak or unknown ETag).',
  DD_E_TRANSITION_REFUSED: 'The status transition is not allowed in the current state.',
  DD_E_UNAUTHENTICATED: 'Sign-in or a valid token is required.',
  DD_E_FORBIDDEN: 'The caller may not do this.',
  DD_E_RATE_LIMITED: 'Too many requests; retry later.',
  DD_E_PAYLOAD_TOO_LARGE: 'The request body is larger than the limit.',
  DD_E_UNSUPPORTED_MEDIA_TYPE: 'The request body is in a media type this endpoint does not read.',
  DD_E_SEARCH_SYNTAX: 'The search query is not valid.',
  DD_E_TOO_COMPLEX: 'Analysing or rendering the document took longer than the server allows.',
  DD_E_TOOL_MISSING: 'An external tool designdoc runs (pg_dump, pg_restore) is not on PATH.',
  DD_E_BACKUP_FAILED: 'A backup or restore did not complete: pg_dump or pg_restore failed.',
  DD_E_BACKUP_WRONG_KIND: 'The file is not a backup this database can be restored from.',
  DD_E_DATABASE_NOT_EMPTY: 'The database to restore into already holds data; pass --force to replace it.',
  DD_E_DATABASE_UNREACHABLE:
    'The database (PostgreSQL) or cache (Redis) server could not be reached or refused the connection.',
  DD_E_INTERNAL: 'An unexpected internal error.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/** The one error class: a code from the registry, a message naming the problem, and where. */
export class DesignDocError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: ErrorLocation; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DesignDocError';
    this.code = code;
    this.location = options.location ?? {};
    this.details = options.details ?? {};
  }

  /** `file:line:col: message [CODE]` — the form terminals and editors both understand. */
  format(): string {
    const { file, line, column } = this.location;
    const where = file ? `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ` : '';
    return `${where}${this.message} [${this.code}]`;
  }
}

export function isDesignDocError(value: unknown): value is DesignDocError {
  return value instanceof DesignDocError;
}
