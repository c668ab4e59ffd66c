import { useQuery } from '@tanstack/react-query';
import type { TPlaybook } from '../../../src/schemas/playbook-api.ts';
import { apiRequest } from './client.ts';

/** What the log form needs of the playbook: each objection with its responses, preferred first. */
export type TPlaybookObjection = TPlaybook['objections'][number];
export type TPlaybookResponse = TPlaybookObjection['responses'][number];

export const objectionKeys = {
  all: ['objections'] as const,
  list: () => [...objectionKeys.all, 'list'] as const,
};

/**
 * The objection playbook (GET /api/objections). Both languages come in every answer (`zh`, `en`, `label`),
 * so switching the interface language needs no new request. No retry: when the playbook is not there the
 * log form simply leaves out the objection picker.
 */
export function useObjections(enabled = true) {
  return useQuery({
    queryKey: objectionKeys.list(),
    queryFn: ({ signal }) => apiRequest<TPlaybook>('/objections', { signal }),
    staleTime: 10 * 60_000,
    retry: false,
    enabled,
  });
}
