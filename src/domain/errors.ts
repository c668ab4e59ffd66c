import { type Message, msg, renderMessage } from './messages.ts';
import { messageFromData } from './stored-message.ts';

/** Every failure the product reports has one of these codes; the server maps them to HTTP status in one place. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'duplicate_account'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  /** The catalog message (domain/messages.ts) the server renders in the request's language; null: English only. */
  readonly localized: Message | null;

  /** `message` is English text, or a catalog message (then `message` is its English rendering). */
  constructor(code: ErrorCode, message: string | Message, details?: unknown) {
    super(typeof message === 'string' ? message : renderMessage(message, 'en'));
    this.name = 'AppError';
    this.code = code;
    this.details = details ?? null;
    this.localized = typeof message === 'string' ? null : message;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** An error as plain data, to cross a worker thread's postMessage (a structured clone keeps no class). */
export interface PlainError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: unknown;
  /** The catalog message, so that the error can still be shown in the reader's language on the other side. */
  readonly localized?: Message | null;
}

/** Any thrown value as plain data: an AppError as it is, anything else as an `internal` error with its text. */
export function plainError(error: unknown): PlainError {
  if (isAppError(error))
    return { code: error.code, message: error.message, details: error.details, localized: error.localized };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), details: null };
}

/** The AppError `plainError` described, its catalog message included. */
export function errorFromPlain(plain: PlainError): AppError {
  const localized = plain.localized ? messageFromData(plain.localized) : null;
  return new AppError(plain.code, localized ?? plain.message, plain.details);
}

const ENTITIES = {
  'API token': msg('entity.api_token'),
  Account: msg('entity.account'),
  'Import job': msg('entity.import_job'),
  Objection: msg('entity.objection'),
  Response: msg('entity.response'),
  'Saved view': msg('entity.saved_view'),
  Skill: msg('entity.skill'),
  Team: msg('entity.team'),
  Territory: msg('entity.territory'),
  User: msg('entity.user'),
} as const;

export type EntityName = keyof typeof ENTITIES;

export const notFound = (what: EntityName, id: string): AppError =>
  new AppError('not_found', msg('not_found.generic', { what: ENTITIES[what], id }), { id });
