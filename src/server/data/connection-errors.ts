/**
 * A database or cache server that cannot be reached, as an operator reads it: one line naming the
 * server, its host:port and the reason (`cannot reach PostgreSQL at 127.0.0.1:1: connection
 * refused (ECONNREFUSED)`), with the code DD_E_DATABASE_UNREACHABLE — not an internal error.
 */
import { DesignDocError } from '../../core/errors.js';

/** Socket and name-resolution failures, in words. */
const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary failure)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  EPIPE: 'connection closed by the server',
};

/**
 * PostgreSQL refusing a connection it received (SQLSTATE): no such database or role, failed
 * authentication, no pg_hba.conf entry, starting up or shutting down, too many connections.
 */
const SERVER_REFUSALS = new Set(['3D000', '28000', '28P01', '57P01', '57P02', '57P03', '53300']);

/** Messages of clients that gave up without an errno (timeouts, a peer that hung up). */
const CLIENT_GAVE_UP =
  /timeout expired|connection timeout|Connection terminated|Connection is closed|connect ETIMEDOUT/i;

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  // Node's happy-eyeballs connect reports an AggregateError over each address tried.
  const inner = (error as { errors?: unknown[] } | null)?.errors;
  return Array.isArray(inner) && inner.length > 0 ? errnoOf(inner[0]) : undefined;
}

/** `host:port` of a connection URL, with the client's defaults filled in. */
export function serverAddress(url: string, defaultPort: number): string {
  try {
    const parsed = new URL(url);
    // libpq's `?host=` (a socket folder or another host) wins over the URL's authority.
    const host = parsed.searchParams.get('host') ?? (parsed.hostname === '' ? 'localhost' : parsed.hostname);
    const port = parsed.searchParams.get('port') ?? (parsed.port === '' ? String(defaultPort) : parsed.port);
    return `${host}:${port}`;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * The DD_E_DATABASE_UNREACHABLE error for a failed first connection, or null when `error` is not a
 * connection failure (a bug, a failed query: those keep their own error).
 */
export function unreachableError(
  server: 'PostgreSQL' | 'Redis',
  url: string,
  error: unknown,
  hint: string,
): DesignDocError | null {
  if (error instanceof DesignDocError) return null;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';
  const errno = errnoOf(error);
  let reason: string | null = null;
  if (errno !== undefined && errno in SOCKET_REASONS) reason = `${SOCKET_REASONS[errno]} (${errno})`;
  else if (errno !== undefined && SERVER_REFUSALS.has(errno)) reason = `${message} (SQLSTATE ${errno})`;
  else if (server === 'Redis' && /^(NOAUTH|WRONGPASS|ERR invalid password|ERR AUTH)/i.test(message))
    reason = message;
  else if (CLIENT_GAVE_UP.test(message))
    reason = /timeout/i.test(message)
      ? `no answer within the connection timeout (${message})`
      : `the server closed the connection (${message})`;
  if (reason === null) return null;
  const where = serverAddress(url, server === 'PostgreSQL' ? 5432 : 6379);
  return new DesignDocError(
    'DD_E_DATABASE_UNREACHABLE',
    `cannot reach ${server} at ${where}: ${reason}; ${hint}`,
    {
      location: { field: server === 'PostgreSQL' ? 'databaseUrl' : 'redisUrl' },
      details: { server, address: where },
      cause: error,
    },
  );
}
