import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type ErrorCode, isAppError } from '../domain/errors.ts';
import { type Message, msg, renderMessage } from '../domain/messages.ts';
import type { TErrorBody } from '../schemas/common.ts';
import { localizedIssueMessage } from '../schemas/issue-messages.ts';
import { invalidValueMessage } from '../storage/db-errors.ts';
import { isSqliteBusy } from '../storage/sqlite-driver.ts';
import { localizedMessage, requestLocale } from './locale.ts';

// The one place error codes become HTTP status.
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  duplicate_account: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/**
 * The one error shape: `{ error: { code, message, details } }`. `details` is always there, an object: what the
 * refusal is about (`issues`, `field`, `current`, …), `{}` when the message says it all.
 */
export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): TErrorBody {
  return { error: { code, message, details } };
}

/** An AppError's details as the error shape carries them: an object (null: none; anything else as `value`). */
export function detailsOf(details: unknown): Record<string, unknown> {
  if (details === null || details === undefined) return {};
  if (typeof details === 'object' && !Array.isArray(details)) return details as Record<string, unknown>;
  return { value: details };
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them answer in the API's error shape too (in English:
 * there is no request to take a language from), as Fastify's own handler otherwise does: a URL with characters
 * that must be percent-encoded (curl sends `?q=价格` as it is) says so.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message = msg(error.code === 'HPE_INVALID_URL' ? 'request.url_not_encoded' : 'request.malformed');
  const body = JSON.stringify(
    errorBody('bad_request', renderMessage(message, 'en'), error.code ? { reason: error.code } : {}),
  );
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

/**
 * The catalog message and the details for an error Fastify (or a plugin) raises before a route's code runs.
 */
function frameworkRefusal(
  error: FastifyError,
  request: FastifyRequest,
): { message: Message; details: Record<string, unknown> } {
  const contentType =
    String(request.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim() || '(none)';
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const consumes = (request.routeOptions.schema as { consumes?: readonly string[] } | undefined)
        ?.consumes;
      const accepted = consumes ? [...consumes] : ['application/json'];
      return {
        message: msg('request.unsupported_media_type', { type: contentType, expected: accepted.join(', ') }),
        details: { contentType, accepted },
      };
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      // Where JSON was expected and the body ended: at its start.
      return { message: msg('request.empty_json'), details: { position: 0, line: 1, column: 1 } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { message: msg('request.invalid_json'), details: {} };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        message: msg('request.content_length'),
        details: { contentLength: request.headers['content-length'] ?? null },
      };
    case 'FST_ERR_BAD_URL':
      return { message: msg('request.bad_url'), details: { url: request.url } };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        message: msg('request.param_too_long'),
        details: { maxLength: request.server.initialConfig.maxParamLength ?? 100 },
      };
    default:
      return {
        message: msg('request.unreadable', { reason: error.message }),
        details: error.code ? { reason: error.code } : {},
      };
  }
}

/**
 * Errors Fastify's router meets before a request has a route (Fastify's `frameworkErrors`: a path with broken
 * percent-encoding, a path parameter longer than the router takes): the API's error shape and the headers every
 * answer carries, instead of Fastify's own `{"error": "Bad Request", …}`. Both are bad input: 400.
 */
export function frameworkErrorHandler(extraHeaders: Record<string, string>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(extraHeaders);
    reply.header('x-request-id', request.id);
    const { message, details } = frameworkRefusal(error, request);
    return reply
      .code(400)
      .header('content-type', 'application/json; charset=utf-8')
      .send(
        JSON.stringify(errorBody('bad_request', renderMessage(message, requestLocale(request)), details)),
      );
  };
}

/**
 * The paths (below the issue's own) of the keys a zod issue refuses as undeclared, or null when it refuses
 * something else: `unrecognized_keys`, or a union none of whose options took the value where some option refused
 * only undeclared keys (the value was meant for the option that refused the fewest).
 */
function unknownKeysOf(issue: Record<string, unknown>): (string | number)[][] | null {
  if (issue.code === 'unrecognized_keys' && Array.isArray(issue.keys))
    return (issue.keys as unknown[]).map((key) => [String(key)]);
  if (issue.code !== 'invalid_union' || !Array.isArray(issue.errors)) return null;
  let fewest: (string | number)[][] | null = null;
  for (const option of issue.errors as Record<string, unknown>[][]) {
    if (!Array.isArray(option) || option.length === 0) continue;
    const found = option.map((inner) => {
      const at = Array.isArray(inner.path) ? (inner.path as (string | number)[]) : [];
      return unknownKeysOf(inner)?.map((key) => [...at, ...key]) ?? null;
    });
    if (!found.every((keys) => keys !== null)) continue;
    const keys = found.flat();
    if (fewest === null || keys.length < fewest.length) fewest = keys;
  }
  return fewest;
}

/** What a client told "busy" is asked to wait before trying again. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // Messages in the request's language (Accept-Language; English without it, as `AppError.message` is).
  const locale = requestLocale(request);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'body';
    const issues = error.validation.flatMap((v) => {
      // The body as a whole (instancePath "/"): no body at all, or JSON that is not an object.
      const field = v.instancePath.replaceAll('/', '.').replace(/\.$/, '');
      // Keys the schema does not declare (strict-requests.ts): one issue for each, named by its own path.
      const unknown = unknownKeysOf({ code: v.keyword, ...v.params });
      if (unknown)
        return unknown.map((keyPath) => {
          const path = `${context}${field}.${keyPath.join('.')}`;
          const message = msg(
            context === 'querystring' ? 'request.unknown_parameter' : 'request.unknown_field',
          );
          return { path, message: renderMessage(message, locale), key: `${path}\u0000unrecognized_keys` };
        });
      const missingBody =
        context === 'body' && field === '' && /received (null|undefined)$/.test(v.message ?? '');
      const limit = v.params?.maximum ?? v.params?.minimum;
      return [
        {
          path: `${context}${field}`,
          message: missingBody
            ? renderMessage(msg('request.body_required'), locale)
            : localizedIssueMessage(v, locale),
          // The same refusal of the same value said twice (an integer over both the safe-integer and the number
          // limit) is one reason.
          key: `${context}${field}\u0000${v.keyword}\u0000${limit === undefined ? v.message : String(limit)}`,
        },
      ];
    });
    const seen = new Set<string>();
    const distinct = issues
      .filter((issue) => !seen.has(issue.key) && seen.add(issue.key))
      .map(({ path, message }) => ({ path, message }));
    const first = distinct[0];
    return reply
      .code(400)
      .send(
        errorBody(
          'bad_request',
          renderMessage(
            first
              ? msg('request.invalid', { path: first.path, message: first.message })
              : msg('request.invalid_plain'),
            locale,
          ),
          { issues: distinct },
        ),
      );
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return reply.code(500).send(
      errorBody('internal', renderMessage(msg('server.invalid_response'), locale), {
        requestId: request.id,
      }),
    );
  }
  if (isAppError(error)) {
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (error.code === 'rate_limited' && typeof retryAfter === 'number') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    }
    if (error.code === 'unavailable') reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
    return reply
      .code(STATUS_BY_CODE[error.code])
      .send(errorBody(error.code, localizedMessage(error, locale), detailsOf(error.details)));
  }
  // SQLite's write lock held elsewhere past a busy timeout (a path that waits in SQLite's busy handler): nothing was
  // written; the client may try again.
  if (isSqliteBusy(error)) {
    request.log.warn({ err: error }, 'database busy');
    reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
    return reply.code(503).send(
      errorBody('unavailable', renderMessage(msg('db.busy', { seconds: 10 }), locale), {
        retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
      }),
    );
  }
  const invalidValue = invalidValueMessage(error);
  if (invalidValue !== null)
    return reply.code(400).send(errorBody('bad_request', renderMessage(invalidValue, locale)));
  const status = error.statusCode ?? 500;
  if (status === 413) {
    return reply.code(413).send(
      errorBody('payload_too_large', renderMessage(msg('request.too_large'), locale), {
        limitBytes: request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? null,
      }),
    );
  }
  if (status >= 400 && status < 500) {
    // Fastify's own refusals (a body it cannot parse, a Content-Type no route reads): in the request's language.
    const frameworkStatus = status === 415 ? 415 : status === 429 ? 429 : 400;
    const { message, details } = frameworkRefusal(error, request);
    return reply
      .code(frameworkStatus)
      .send(
        errorBody(
          frameworkStatus === 429 ? 'rate_limited' : 'bad_request',
          renderMessage(message, locale),
          details,
        ),
      );
  }
  request.log.error({ err: error }, 'unhandled error');
  // The request id names the log entry with the error (it is in the x-request-id header too).
  return reply
    .code(500)
    .send(errorBody('internal', renderMessage(msg('server.unexpected'), locale), { requestId: request.id }));
}
