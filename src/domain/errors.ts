/** Every failure the product reports has one of these codes; the server maps them to HTTP status in one place. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details ?? null;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const notFound = (what: string, id: string): AppError =>
  new AppError('not_found', `${what} ${id} does not exist (or you may not see it).`, { id });
