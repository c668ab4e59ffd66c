import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client.ts';

/** What to tell someone whose sign-in (or setup) was refused, in their language. */
export function authErrorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unknown');
  if (error.isNetworkError) return t('errors.network');
  if (error.status === 429) {
    const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    return t('auth.signIn.tooMany', { seconds: typeof seconds === 'number' ? seconds : 30 });
  }
  if (error.status === 401) return t('auth.signIn.wrong');
  if (error.status === 403) return t('auth.signIn.disabled');
  if (error.status === 409) return t('auth.setup.alreadyDone');
  return error.message;
}
