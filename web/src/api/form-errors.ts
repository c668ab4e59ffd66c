import { ApiError } from './client.ts';

/** What a form shows after the API refused a change: messages under the fields they name, and the rest. */
export interface FormProblem {
  /** By field path as the API names it: `code`, `zh`, `label.en`, `responses.0.zh`. */
  fields: Record<string, string>;
  /** A message for the whole form (a network failure, a refusal that names no field); null when none. */
  message: string | null;
}

const NO_PROBLEM: FormProblem = { fields: {}, message: null };

export function noProblem(): FormProblem {
  return NO_PROBLEM;
}

/**
 * Reads the API's error shape into a form's messages. A request the schema refused (400) lists its issues as
 * `{ path: 'body.label.zh', message }`; a refusal by a service (409 conflict, 422) names one `details.field`.
 * `networkMessage` is shown when the server could not be reached.
 */
export function formProblem(error: unknown, networkMessage: string): FormProblem {
  if (!(error instanceof ApiError)) {
    return { fields: {}, message: error instanceof Error ? error.message : String(error) };
  }
  if (error.isNetworkError) return { fields: {}, message: networkMessage };
  const details = (error.details ?? {}) as {
    issues?: { path?: unknown; message?: unknown }[];
    field?: unknown;
  };
  const fields: Record<string, string> = {};
  if (Array.isArray(details.issues)) {
    for (const issue of details.issues) {
      if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
      const field = issue.path.replace(/^body\.?/, '');
      if (field && !(field in fields)) fields[field] = issue.message;
    }
  }
  if (typeof details.field === 'string' && !(details.field in fields)) {
    // Service messages name the field first ("zh: write …"); under the field itself that is said already.
    const prefix = `${details.field}: `;
    fields[details.field] = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
  }
  return { fields, message: Object.keys(fields).length > 0 ? null : error.message };
}
