import type { TErrorBody } from '../../../src/schemas/common.ts';

/** An error answered by the API (or a failure to reach it), carrying the API's code and message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** True when the request never got an answer (server down, offline). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

/** Builds `?a=1&b=x,y`, leaving out empty values; lists are comma-separated as the API expects. */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value == null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isErrorBody(body: unknown): body is TErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

// The session's CSRF token: the API refuses a change (POST, PATCH, PUT, DELETE) by cookie without it.
let csrfToken: string | null = null;
const CSRF_HEADER = 'x-csrf-token';

// The UI language, sent as Accept-Language so that the API's messages come in it (src/server/locale.ts).
let language: string | null = null;

/** Sets the language the API answers in (i18n/index.ts calls it with i18next's language). */
export function setRequestLanguage(next: string | null): void {
  language = next;
}

/** The language requests ask for, for requests sent outside `apiRequest` (the upload); null: the browser's. */
export function requestLanguage(): string | null {
  return language;
}

/** Remembers the CSRF token from sign-in or /api/auth/status (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The token for this session, asked of /api/auth/status once when nothing has set it yet. */
async function csrfTokenForChange(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  try {
    csrfToken = (await apiRequest<{ csrfToken: string | null }>('/auth/status')).csrfToken;
  } catch {
    // not reachable or not signed in: the change itself will report why
  }
  return csrfToken;
}

/** The CSRF token for a change sent outside `apiRequest` (an upload through XMLHttpRequest, for its progress). */
export function csrfTokenForUpload(): Promise<string | null> {
  return csrfTokenForChange();
}

function isCsrfRefusal(error: ApiError): boolean {
  const details = error.details as { reason?: unknown } | undefined;
  return error.status === 403 && details?.reason === 'csrf';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Sees the answer's headers (a successful one's too): the service worker marks an answer it kept. */
  onHeaders?: (headers: Headers) => void;
}

/** Calls the JSON API under /api; resolves with the parsed body or rejects with an ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  if (method === 'GET') return send<T>(path, options, null);
  try {
    return await send<T>(path, options, await csrfTokenForChange());
  } catch (error) {
    // The session changed since the token was read (signed in again elsewhere): read it afresh, once.
    if (!(error instanceof ApiError) || !isCsrfRefusal(error)) throw error;
    csrfToken = null;
    return send<T>(path, options, await csrfTokenForChange());
  }
}

async function send<T>(path: string, options: RequestOptions, csrf: string | null): Promise<T> {
  const url = `/api${path}${options.query ? toQueryString(options.query) : ''}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers[CSRF_HEADER] = csrf;
  if (language) headers['accept-language'] = language;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  options.onHeaders?.(response.headers);
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    if (isErrorBody(body)) {
      throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
    }
    throw new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`.trim());
  }
  return body as T;
}
