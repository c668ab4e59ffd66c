import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  TImportJob,
  TImportPreview,
  TImportStart,
  TImportWarning,
  TImportWarningPage,
  TSourceReport,
} from '../../../src/schemas/import-api.ts';
import type { TColumnMapping, TImportFieldKey } from '../../../src/schemas/import-mapping.ts';
import type { Language } from '../i18n/languages.ts';
import { accountKeys } from './accounts.ts';
import { ApiError, apiRequest, csrfTokenForUpload, requestLanguage } from './client.ts';

export type {
  TColumnMapping,
  TImportFieldKey,
  TImportJob,
  TImportPreview,
  TImportStart,
  TImportWarning,
  TImportWarningPage,
  TSourceReport,
};

export const importKeys = {
  all: ['imports'] as const,
  jobs: () => [...importKeys.all, 'jobs'] as const,
  job: (id: string) => [...importKeys.all, 'job', id] as const,
  preview: (id: string, source: string | null, mapping: TColumnMapping | null) =>
    [...importKeys.all, 'preview', id, source, mapping] as const,
  warnings: (id: string, language: Language, page: number, pageSize: number) =>
    [...importKeys.all, 'warnings', id, language, page, pageSize] as const,
  sources: () => ['sources', 'report'] as const,
};

/** The job states in which the import is still working. */
export function isActive(job: Pick<TImportJob, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

export function fetchImportJob(id: string, signal?: AbortSignal): Promise<TImportJob> {
  return apiRequest<TImportJob>(`/imports/${encodeURIComponent(id)}`, { signal });
}

/**
 * The address of a job's rejected rows (CSV), with the reasons in the UI's `language` (a plain link cannot send
 * our Accept-Language); a plain link downloads it with the session cookie.
 */
export function rejectsUrl(id: string, language: Language): string {
  return `/api/imports/${encodeURIComponent(id)}/rejects?lang=${language}`;
}

/** The address of all of a job's warnings as CSV, the reasons in the UI's `language` (see rejectsUrl). */
export function warningsUrl(id: string, language: Language): string {
  return `/api/imports/${encodeURIComponent(id)}/warnings?format=csv&lang=${language}`;
}

/** A page of a finished job's warnings (line, column, value, reason in `language`), when it has any. */
export function useImportWarnings(
  id: string,
  language: Language,
  options: { enabled: boolean; page?: number; pageSize?: number },
) {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? 10;
  return useQuery({
    queryKey: importKeys.warnings(id, language, page, pageSize),
    queryFn: ({ signal }) =>
      apiRequest<TImportWarningPage>(`/imports/${encodeURIComponent(id)}/warnings`, {
        query: { page, pageSize, lang: language },
        signal,
      }),
    enabled: options.enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Recent import jobs the user may see, newest first. */
export function useImportJobs(limit = 10) {
  return useQuery({
    queryKey: [...importKeys.jobs(), limit],
    queryFn: ({ signal }) =>
      apiRequest<{ items: TImportJob[] }>('/imports', { query: { limit }, signal }).then((r) => r.items),
  });
}

/** One job; polled every `pollMs` while it is queued or running. */
export function useImportJob(id: string | null, pollMs = 400) {
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: ({ signal }) => fetchImportJob(id as string, signal),
    enabled: id != null,
    refetchInterval: (query) => (query.state.data && isActive(query.state.data) ? pollMs : false),
    refetchIntervalInBackground: true,
  });
}

/** The detected format, the mapping and the first rows, for the mapping given (null: automatic or remembered). */
export function useImportPreview(id: string | null, source: string | null, mapping: TColumnMapping | null) {
  return useQuery({
    queryKey: importKeys.preview(id ?? '', source, mapping),
    queryFn: ({ signal }) =>
      apiRequest<TImportPreview>(`/imports/${encodeURIComponent(id as string)}/preview`, {
        query: {
          source: source || undefined,
          mapping: mapping && Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined,
        },
        signal,
      }),
    enabled: id != null,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Per source: accounts supplied, in the target market, cost per in-market account. */
export function useSourceReports() {
  return useQuery({
    queryKey: importKeys.sources(),
    queryFn: ({ signal }) =>
      apiRequest<{ items: TSourceReport[] }>('/sources', { signal }).then((r) => r.items),
  });
}

export function useStartImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TImportStart }) =>
      apiRequest<TImportJob>(`/imports/${encodeURIComponent(id)}/start`, { method: 'POST', body }),
    onSuccess: (job) => {
      client.setQueryData(importKeys.job(job.id), job);
      void client.invalidateQueries({ queryKey: importKeys.jobs() });
    },
  });
}

/**
 * Discards an upload that was never started, or an import that failed: the job and its stored file (409 for a job
 * queued, running or done).
 */
export function discardImport(id: string): Promise<null> {
  return apiRequest<null>(`/imports/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Whether a job may be discarded (DELETE): an upload never started, or an import that ended without importing. */
export function isDiscardable(job: Pick<TImportJob, 'state'>): boolean {
  return job.state === 'uploaded' || job.state === 'failed' || job.state === 'cancelled';
}

/** discardImport as a mutation; the job's query and the recent imports follow. */
export function useDiscardImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: discardImport,
    onSuccess: (_data, id) => {
      client.removeQueries({ queryKey: importKeys.job(id) });
      void client.invalidateQueries({ queryKey: importKeys.jobs() });
    },
  });
}

/** After an import finishes: accounts, sources, market counts and recent jobs have changed. */
export function useRefreshAfterImport() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: importKeys.jobs() }),
      client.invalidateQueries({ queryKey: ['sources'] }),
      client.invalidateQueries({ queryKey: accountKeys.all }),
      client.invalidateQueries({ queryKey: ['market'] }),
      client.invalidateQueries({ queryKey: ['tiers'] }),
    ]);
}

export interface UploadHandle {
  promise: Promise<TImportJob>;
  abort: () => void;
}

/**
 * Uploads a file as multipart/form-data through XMLHttpRequest, whose upload events report progress (fetch
 * has none). Rejects with an ApiError as `apiRequest` does; an abort rejects with an AbortError.
 */
export function uploadImportFile(
  file: File,
  onProgress: (sent: number, total: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  let aborted = false;
  const promise = (async () => {
    const csrf = await csrfTokenForUpload();
    if (aborted) throw new DOMException('The upload was cancelled', 'AbortError');
    return new Promise<TImportJob>((resolve, reject) => {
      xhr.open('POST', '/api/imports');
      xhr.setRequestHeader('accept', 'application/json');
      if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
      const language = requestLanguage();
      if (language) xhr.setRequestHeader('accept-language', language);
      xhr.upload.onprogress = (event) =>
        onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(body as TImportJob);
          return;
        }
        const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)
          ?.error;
        reject(
          new ApiError(
            xhr.status,
            error?.code ?? 'http_error',
            error?.message ?? `${xhr.status} ${xhr.statusText}`.trim(),
            error?.details,
          ),
        );
      };
      xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload did not reach the server'));
      xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  })();
  return {
    promise,
    abort: () => {
      aborted = true;
      xhr.abort();
    },
  };
}
