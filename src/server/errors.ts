import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type ErrorCode, isAppError } from '../domain/errors.ts';
import { msg, renderMessage } from '../domain/messages.ts';
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
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export function errorBody(code: string, message: string, details?: unknown): TErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
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
  const body = JSON.stringify(errorBody('bad_request', renderMessage(message, 'en')));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

/** What a client told "busy" is asked to wait before trying again. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // Messages in the request's language (Accept-Language; English without it, as `AppError.message` is).
  const locale = requestLocale(request);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: localizedIssueMessage(v, locale),
    }));
    const first = issues[0];
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
          { issues },
        ),
      );
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return reply.code(500).send(errorBody('internal', renderMessage(msg('server.invalid_response'), locale)));
  }
  if (isAppError(error)) {
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (error.code === 'rate_limited' && typeof retryAfter === 'number') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    }
    if (error.code === 'unavailable') reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
    return reply
      .code(STATUS_BY_CODE[error.code])
      .send(errorBody(error.code, localizedMessage(error, locale), error.details ?? undefined));
  }
  // SQLite's write lock held elsewhere past a busy timeout (a path that waits in SQLite's busy handler): nothing was
  // written; the client may try again.
  if (isSqliteBusy(error)) {
    request.log.warn({ err: error }, 'database busy');
    reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
    return reply
      .code(503)
      .send(errorBody('unavailable', renderMessage(msg('db.busy', { seconds: 10 }), locale)));
  }
  const invalidValue = invalidValueMessage(error);
  if (invalidValue !== null)
    return reply.code(400).send(errorBody('bad_request', renderMessage(invalidValue, locale)));
  const status = error.statusCode ?? 500;
  if (status === 413) {
    return reply
      .code(413)
      .send(errorBody('payload_too_large', renderMessage(msg('request.too_large'), locale)));
  }
  if (status === 415 || (status >= 400 && status < 500)) {
    return reply.code(status).send(errorBody(status === 429 ? 'rate_limited' : 'bad_request', error.message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send(errorBody('internal', renderMessage(msg('server.unexpected'), locale)));
}
