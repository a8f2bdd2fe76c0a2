import { ApiError, apiRoutes, idempotencyKeyHeader } from '@runner-console/contracts';
import type { ApiErrorCode, ApiRoute, ApiRouteName } from '@runner-console/contracts';
import type * as z from 'zod/mini';

type RouteOf<N extends ApiRouteName> = (typeof apiRoutes)[N];

/** What a route answers, as its contract's response schema parses it (undefined for 204 routes). */
export type ApiResponse<N extends ApiRouteName> =
  RouteOf<N> extends { response: infer S extends z.ZodMiniType } ? z.output<S> : undefined;

/** What a route accepts as its JSON body, per its contract's request schema. */
export type ApiRequestBody<N extends ApiRouteName> =
  RouteOf<N> extends { request: infer S extends z.ZodMiniType } ? z.input<S> : never;

/** The BFF's codes plus two that only the browser can observe. */
export type ApiRequestErrorCode = ApiErrorCode | 'network_error' | 'unexpected_response';

/** One failed API call: the HTTP status (0 when nothing came back) and the BFF's code, message and field errors. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  readonly status: number;
  readonly code: ApiRequestErrorCode;
  readonly fields: Readonly<Record<string, string>>;

  constructor(init: {
    status: number;
    code: ApiRequestErrorCode;
    message: string;
    fields?: Record<string, string> | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? {};
  }
}

export function isApiRequestError(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError;
}

/**
 * For deletes: a thing already gone (a second click, another tab, another admin) is what was asked
 * for, so a 404 resolves with null instead of failing.
 */
export async function goneIsDone<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isApiRequestError(error) && error.status === 404) return null;
    throw error;
  }
}

export interface CallOptions<N extends ApiRouteName> {
  /** Values for the route's `:name` path segments. */
  params?: Record<string, string>;
  /** The query string, e.g. a list's `limit` and `cursor`. */
  query?: Record<string, string | undefined>;
  body?: ApiRequestBody<N>;
  signal?: AbortSignal;
  /**
   * For creates (the route table's `idempotent`): one key per user intent (see intent-keys.ts). A
   * repeat with the same key gets the first answer, so a double click makes one thing.
   */
  idempotencyKey?: string;
}

export interface ApiClientDeps {
  fetch: typeof fetch;
  /** The document's cookie string; the CSRF token is read from it before every non-GET call. */
  readCookies: () => string;
}

const CSRF_COOKIE_NAMES = ['__Host-rc_csrf', 'rc_csrf'] as const;
const CSRF_HEADER = 'x-csrf-token';

/** The CSRF token the BFF set on GET /api/auth/session (the `__Host-` name is used under https). */
export function readCsrfToken(cookieString: string): string | null {
  const cookies = new Map<string, string>();
  for (const part of cookieString.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    cookies.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  for (const name of CSRF_COOKIE_NAMES) {
    const value = cookies.get(name);
    if (value) return decodeURIComponent(value);
  }
  return null;
}

/** `/api/runners/:runnerId` + `{ runnerId: 'r 1' }` → `/api/runners/r%201`. */
export function buildPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, (_segment, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(value);
  });
}

/** The path with the defined values of `query` as its query string. */
export function withQuery(path: string, query: Record<string, string | undefined> = {}): string {
  const defined = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return defined.length ? `${path}?${new URLSearchParams(defined)}` : path;
}

// Used only when an error response has no body in the contract's shape (a proxy in between, a crash).
const FALLBACK_ERRORS: Record<number, { code: ApiErrorCode; message: string }> = {
  400: {
    code: 'validation_failed',
    message: 'Some of the information was not accepted. Check it and try again.',
  },
  401: { code: 'unauthenticated', message: 'You are signed out. Sign in to continue.' },
  403: {
    code: 'forbidden',
    message: 'You do not have permission to do that. Ask an organization admin.',
  },
  404: { code: 'not_found', message: 'We could not find that. It may have been removed.' },
  409: {
    code: 'conflict',
    message: 'That conflicts with a change made elsewhere. Reload the page and try again.',
  },
  413: {
    code: 'payload_too_large',
    message: 'That is more data than Runner Console accepts in one request.',
  },
  429: { code: 'rate_limited', message: 'Too many attempts. Wait a minute and try again.' },
};
const SERVER_FALLBACK = {
  code: 'internal',
  message: 'Something went wrong on our side. Try again in a moment.',
} as const;

export const NETWORK_ERROR_MESSAGE =
  'Runner Console could not be reached. Check your connection and try again.';
const UNEXPECTED_RESPONSE_MESSAGE =
  'Runner Console sent an answer this page does not understand. Reload the page and try again.';

/** Maps a failed response to an ApiRequestError, preferring the BFF's own `{ error }` body. */
export async function toApiRequestError(response: Response): Promise<ApiRequestError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = ApiError.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiRequestError({ status: response.status, code, message, fields });
  }
  const fallback = FALLBACK_ERRORS[response.status] ?? SERVER_FALLBACK;
  return new ApiRequestError({ status: response.status, ...fallback });
}

function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function createApiClient(deps: ApiClientDeps) {
  async function send(route: ApiRoute, url: string, body: unknown, signal?: AbortSignal, idempotencyKey?: string) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (idempotencyKey && route.idempotent) headers[idempotencyKeyHeader] = idempotencyKey;
    if (route.method !== 'get') {
      const token = await csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await deps.fetch(url, {
        method: route.method.toUpperCase(),
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'same-origin',
        signal: signal ?? null,
      });
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) throw error;
      throw new ApiRequestError({
        status: 0,
        code: 'network_error',
        message: NETWORK_ERROR_MESSAGE,
        cause: error,
      });
    }
  }

  /** The session endpoint (re)sets the CSRF cookie; its answer does not matter here. */
  async function refreshCsrfCookie() {
    try {
      await deps.fetch(apiRoutes.getSession.path, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
    } catch {
      // The real call that follows reports the network error.
    }
  }

  async function csrfToken(): Promise<string | null> {
    const token = readCsrfToken(deps.readCookies());
    if (token) return token;
    await refreshCsrfCookie();
    return readCsrfToken(deps.readCookies());
  }

  async function parseSuccess(route: ApiRoute, response: Response): Promise<unknown> {
    if (route.noContent || response.status === 204 || !route.response) return undefined;
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new ApiRequestError({
        status: response.status,
        code: 'unexpected_response',
        message: UNEXPECTED_RESPONSE_MESSAGE,
        cause: error,
      });
    }
    const parsed = route.response.safeParse(body);
    if (!parsed.success) {
      throw new ApiRequestError({
        status: response.status,
        code: 'unexpected_response',
        message: UNEXPECTED_RESPONSE_MESSAGE,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  /**
   * Calls one route of the contract's route table. Success bodies are parsed with the route's
   * response schema; failures throw ApiRequestError.
   */
  async function call<N extends ApiRouteName>(
    name: N,
    options: CallOptions<N> = {},
  ): Promise<ApiResponse<N>> {
    const route: ApiRoute = apiRoutes[name];
    const url = withQuery(buildPath(route.path, options.params), options.query);
    for (let attempt = 1; ; attempt++) {
      const response = await send(route, url, options.body, options.signal, options.idempotencyKey);
      if (response.ok) return (await parseSuccess(route, response)) as ApiResponse<N>;
      const error = await toApiRequestError(response);
      // A rotated or missing CSRF cookie: fetch a fresh one and try exactly once more.
      if (error.code === 'csrf_failed' && attempt === 1) {
        await refreshCsrfCookie();
        continue;
      }
      throw error;
    }
  }

  return { call };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const apiClient: ApiClient = createApiClient({
  fetch: (input, init) => globalThis.fetch(input, init),
  readCookies: () => document.cookie,
});
