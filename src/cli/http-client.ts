import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { ErrorCode } from '../domain/errors.ts';
import { ZErrorBody } from '../schemas/common.ts';

/** A failure answered by the server: its HTTP status and the API's `{ error: { code, message, details } }`. */
export class RemoteApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly server: string;

  constructor(status: number, code: string, message: string, details: unknown, server: string) {
    super(message);
    this.name = 'RemoteApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.server = server;
  }
}

/** The server could not be reached, or answered something that is not the Tierline API. */
export class RemoteTransportError extends Error {
  /**
   * No answer came back although the request may have reached the server (connection refused, reset or closed,
   * no answer in time, the answer cut off), or a gateway answered 502, 503 or 504: the request may or may not have
   * been carried out. Sending it again is safe only for a request that says so (a log with its client id).
   */
  readonly answerLost: boolean;

  constructor(message: string, options: { answerLost?: boolean } = {}) {
    super(message);
    this.name = 'RemoteTransportError';
    this.answerLost = options.answerLost ?? false;
  }
}

export const isRemoteApiError = (error: unknown): error is RemoteApiError => error instanceof RemoteApiError;

/** Statuses of a proxy or load balancer that lost the server, or of a server that is busy: try again later. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Whether a request failed without an answer from the API (see RemoteTransportError.answerLost), or with 502, 503
 * or 504: a request safe to repeat may be sent again.
 */
export function isLostAnswer(error: unknown): boolean {
  if (error instanceof RemoteTransportError) return error.answerLost;
  return error instanceof RemoteApiError && GATEWAY_STATUSES.has(error.status);
}

/** Sending a request again when its answer was lost (isLostAnswer); only for requests safe to repeat. */
export interface RetryOptions {
  /** The pause before each further try, in milliseconds: as many tries again as pauses. */
  delaysMs: readonly number[];
  /** Told before each pause: why, how long, and which try again it is (1, 2, …). */
  onRetry?: (error: Error, delayMs: number, attempt: number) => void;
}

/** The API's error codes that mean "the request itself was wrong" (the CLI's usage exit code, 2). */
export const USAGE_ERROR_CODES: ReadonlySet<ErrorCode | string> = new Set(['bad_request']);

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface RequestOptions<T> {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (multipart uploads). */
  form?: FormData;
  /** Validates (and types) the answer; the same zod schema the server answers with. */
  schema?: z.ZodType<T>;
  /** Milliseconds; 0 = no limit (uploads). Default 120 s. */
  timeoutMs?: number;
  /** Send again after a lost answer: only for a request that is safe to repeat (JSON bodies, not forms). */
  retry?: RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * A small client for the Tierline HTTP API with a personal API token (Node's global fetch). The token goes
 * only into the Authorization header; it is never part of a message.
 */
export class ApiClient {
  readonly server: URL;
  readonly #token: string;

  constructor(server: URL, token: string) {
    this.server = server;
    this.#token = token;
  }

  /** `/api/accounts` → absolute URL under the server's base path. */
  url(path: string, query?: Record<string, QueryValue>): URL {
    const url = new URL(path.replace(/^\//, ''), this.server);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url;
  }

  get<T>(path: string, options: RequestOptions<T> = {}): Promise<T> {
    return this.request('GET', path, options);
  }

  post<T>(path: string, options: RequestOptions<T> = {}): Promise<T> {
    return this.request('POST', path, options);
  }

  put<T>(path: string, options: RequestOptions<T> = {}): Promise<T> {
    return this.request('PUT', path, options);
  }

  patch<T>(path: string, options: RequestOptions<T> = {}): Promise<T> {
    return this.request('PATCH', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions<T> = {}): Promise<T> {
    const delays = options.retry?.delaysMs ?? [];
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.requestOnce(method, path, options);
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined || !isLostAnswer(error)) throw error;
        options.retry?.onRetry?.(error as Error, delay, attempt + 1);
        await sleep(delay);
      }
    }
  }

  private async requestOnce<T>(method: string, path: string, options: RequestOptions<T>): Promise<T> {
    const response = await this.send(method, path, options);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new RemoteTransportError(
        `the answer from ${this.server.origin} to ${method} ${new URL(this.url(path)).pathname} was cut off: ${describeFetchError(error)}`,
        { answerLost: true },
      );
    }
    const where = `${method} ${new URL(response.url || this.url(path)).pathname}`;
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      throw new RemoteTransportError(
        `${this.server.origin} answered ${where} with ${response.status} and no JSON: is this a Tierline server?`,
      );
    }
    if (!options.schema) return body as T;
    const parsed = options.schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RemoteTransportError(
        `${this.server.origin} answered ${where} in a shape this CLI does not know (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}); are the CLI and the server the same version?`,
      );
    }
    return parsed.data;
  }

  /** The raw answer (for files); HTTP errors are thrown as RemoteApiError. */
  async send(method: string, path: string, options: RequestOptions<unknown> = {}): Promise<Response> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: 'application/json',
      'user-agent': 'tierline-cli',
    };
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'error',
        ...(timeout > 0 ? { signal: AbortSignal.timeout(timeout) } : {}),
      });
    } catch (error) {
      const reason = describeFetchError(error);
      throw reason === REDIRECTED
        ? new RemoteTransportError(
            `${this.server.origin} answered with a redirect; give the address it redirects to (e.g. https://…) as --server.`,
          )
        : new RemoteTransportError(`cannot reach ${this.server.origin}: ${reason}`, { answerLost: true });
    }
    if (!response.ok) throw await this.errorOf(method, path, response);
    return response;
  }

  async errorOf(method: string, path: string, response: Response): Promise<Error> {
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: a proxy or a different server answered
    }
    const parsed = ZErrorBody.safeParse(json);
    if (!parsed.success) {
      return GATEWAY_STATUSES.has(response.status)
        ? new RemoteTransportError(
            `${this.server.origin} answered ${method} ${new URL(this.url(path)).pathname} with HTTP ${response.status} ${response.statusText} (the server is unavailable, or a proxy in front of it could not reach it)`,
            { answerLost: true },
          )
        : new RemoteTransportError(
            `${this.server.origin} answered ${method} ${new URL(this.url(path)).pathname} with HTTP ${response.status} ${response.statusText} and no Tierline error: is this a Tierline server?`,
          );
    }
    const { code, message, details } = parsed.data.error;
    return new RemoteApiError(response.status, code, message, details, this.server.origin);
  }
}

const REDIRECTED = 'redirected';

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'no answer in time';
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      if (/redirect/i.test(cause.message)) return REDIRECTED;
      const code = (cause as NodeJS.ErrnoException).code;
      return code ? `${code} (${cause.message})` : cause.message;
    }
    return error.message;
  }
  return String(error);
}
