import { z } from 'zod';
import {
  ZAccount,
  ZAccountCreate,
  ZAccountFacets,
  ZAccountListQuery,
  ZAccountPage,
  ZAccountUpdate,
} from '../../schemas/account.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import {
  createAccount,
  findAccounts,
  getAccount,
  getAccountFacets,
  updateAccount,
} from '../../services/accounts.ts';
import type { AppInstance } from '../app.ts';
import { documentedError } from '../openapi.ts';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });

/** Every value of the account refused for what it is answers 400, whether the schema or the import's readers refuse it. */
const BAD_FIELD =
  'bad_request: a value fails its schema (`error.details.issues` names each field and why), or the body is not valid JSON; or a website, phone, e-mail or unified social credit code an import would refuse (the message names the field and why, e.g. `uscc: check character does not match: expected 3, got 4`; `error.details`: `field`, `value`)';
/** What is refused for the records it names rather than for its form. */
const OWNER_REFUSED =
  'validation_failed: the owner (`ownerId`) or territory (`territoryId`) named does not exist, or the owner is disabled (`error.details.field` names which)';

export async function accountRoutes(app: AppInstance) {
  app.get(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List accounts with filters, search, sort and paging',
        querystring: ZAccountListQuery,
        response: { 200: ZAccountPage, 400: ZErrorBody },
      },
    },
    async (request) => findAccounts(request.ctx, request.query),
  );

  app.get(
    '/api/accounts/facets',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Provinces, cities and industries with account counts, for filters',
        response: { 200: ZAccountFacets },
      },
    },
    async (request) => getAccountFacets(request.ctx),
  );

  app.get(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One account',
        params: ZIdParams,
        response: { 200: ZAccount, 404: ZErrorBody },
      },
    },
    async (request) => getAccount(request.ctx, request.params.id),
  );

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Create an account; one that is the same company as an existing account answers 409 duplicate_account',
        description:
          'An account is refused (409 `duplicate_account`) when an existing account anywhere in the workspace has the same unified social credit code or website domain, or the same normalised name in the same city (legal-form suffixes, full-width characters, spaces and punctuation folded, as the import de-duplicates); a name match is accepted with `allowSimilarName: true` (a different company). A domain or name shared with an account whose credit code differs from the one sent is not a match. `error.details`: `key` (`uscc`, `domain` or `name`), `existing` (`{ id, name }` when you may see that account, else null: ask a manager or an administrator) and `allowSimilarName` (whether the flag would accept it).',
        body: ZAccountCreate,
        response: {
          201: ZAccount,
          400: documentedError(400, BAD_FIELD),
          409: documentedError(
            409,
            'duplicate_account: an account of the same company exists (`error.details.key`: uscc, domain or name; `error.details.existing`: its id and name when you may see it, else null; `error.details.allowSimilarName`: true when `allowSimilarName` would accept it)',
          ),
          422: documentedError(422, OWNER_REFUSED),
        },
      },
    },
    async (request, reply) => {
      const account = await createAccount(request.ctx, request.body);
      return reply.code(201).send(account);
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Update an account; send the version you read (a stale version answers 409 with the current record; a change that makes it the same company as another account answers 409 duplicate_account)',
        description:
          "A change is refused (409 `duplicate_account`) by the rules of a create, for the keys it changes only: a unified social credit code or website domain another account anywhere in the workspace has, or a name or city that makes the normalised name + city equal to another account's (accepted with `allowSimilarName: true`, a different company). A domain or name shared with an account whose credit code differs from this account's (after the change) is not a match. A key the change leaves as it was is not checked, so an account that already matched another can still be edited. `error.details` as on create.",
        params: ZIdParams,
        body: ZAccountUpdate,
        response: {
          200: ZAccount,
          400: documentedError(400, BAD_FIELD),
          404: ZErrorBody,
          409: documentedError(
            409,
            'version_conflict: the account changed since you read it (`error.details.current` holds it now); or duplicate_account: the change makes it the same company as another account by credit code, website domain, or name + city (`error.details` as on create; `allowSimilarName` true when that flag would accept it)',
          ),
          422: documentedError(422, OWNER_REFUSED),
        },
      },
    },
    async (request) => updateAccount(request.ctx, request.params.id, request.body),
  );
}
