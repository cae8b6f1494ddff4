/**
 * The typed API client: paths, parameters and bodies come from the server's OpenAPI document
 * (schema.d.ts, generated). Every write carries the session's CSRF token; every failure becomes an
 * ApiError holding the server's problem+json, so pages can show the server's own reason.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  code?: string;
  field?: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

const CSRF_KEY = 'designdoc.csrf';
let csrfToken: string | null = sessionStorage.getItem(CSRF_KEY);

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when any request answers 401 (session expired): the app shows the sign-in page. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken)
      request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/auth/login'))
      unauthorizedListeners.forEach((l) => l());
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** Returns the body of a successful call or throws an ApiError with the server's problem. */
export async function unwrap<T>(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError({
      status: 0,
      detail: `The server could not be reached (${(cause as Error).message}).`,
    });
  }
  if (result.response.ok) return result.data as T;
  const body = result.error as Partial<Problem> | string | undefined;
  if (body && typeof body === 'object')
    throw new ApiError({
      status: result.response.status,
      detail: body.detail ?? body.title ?? '',
      ...body,
    } as Problem);
  throw new ApiError({
    status: result.response.status,
    detail: typeof body === 'string' && body ? body : result.response.statusText,
  });
}
