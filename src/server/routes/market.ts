import { z } from 'zod';
import { ZAccount } from '../../schemas/account.ts';
import { ZCadenceRuleChange, ZCadenceRuleStored } from '../../schemas/cadence.ts';
import { ZErrorBody } from '../../schemas/common.ts';
import { ZMarketCriteria } from '../../schemas/market.ts';
import {
  ZMarketPreview,
  ZMarketSave,
  ZMarketSaveResult,
  ZMarketState,
  ZTierCounts,
  ZTierOverride,
} from '../../schemas/market-api.ts';
import { ZWorkspaceSettingsPatch, ZWorkspaceSettingsVersioned } from '../../schemas/workspace.ts';
import { getMarketState, overrideTier, previewMarket, tierCounts } from '../../services/market.ts';
import { retierOffThread, saveMarketOffThread } from '../../services/off-thread.ts';
import { getCadenceRules, setCadenceRules } from '../../services/plan.ts';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../../services/workspace-settings.ts';
import type { AppInstance } from '../app.ts';

export async function marketRoutes(app: AppInstance) {
  app.get(
    '/api/market',
    {
      schema: {
        tags: ['market'],
        summary:
          "The current target-market definition (null before the first one is saved), every version, and how many accounts are in the market now (`inMarket`; a version's `matching` is its count when it was saved)",
        response: { 200: ZMarketState },
      },
    },
    async (request) => getMarketState(request.ctx),
  );

  app.post(
    '/api/market/preview',
    {
      schema: {
        tags: ['market'],
        summary:
          'How many accounts criteria match, how many already have a relationship, by province and city, and which of their places and industries no account has (`unknownValues`); a minimum above its maximum answers 400 naming both',
        body: ZMarketCriteria,
        response: { 200: ZMarketPreview, 400: ZErrorBody },
      },
    },
    async (request) => previewMarket(request.ctx, request.body),
  );

  app.post(
    '/api/market',
    {
      schema: {
        tags: ['market'],
        summary:
          'Save a new market version and re-tier; widening must be confirmed with widen: true (409 conflict otherwise). `version` names the version the criteria start from: a newer one saved since answers 409 version_conflict with the current definition',
        body: ZMarketSave,
        response: { 200: ZMarketSaveResult, 400: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => saveMarketOffThread(request.ctx, request.body),
  );

  app.get(
    '/api/tiers',
    { schema: { tags: ['tiers'], summary: 'Accounts per tier', response: { 200: ZTierCounts } } },
    async (request) => tierCounts(request.ctx),
  );

  app.post(
    '/api/tiers/retier',
    {
      schema: {
        tags: ['tiers'],
        summary: 'Re-score and re-tier under the current market and settings',
        response: { 200: ZTierCounts },
      },
    },
    async (request) => retierOffThread(request.ctx),
  );

  app.put(
    '/api/accounts/:id/tier-override',
    {
      schema: {
        tags: ['tiers'],
        summary:
          "Set (or with tier null remove) a manual tier, with the reason, on the account's version you read; it survives re-tiering, and a changed tier re-plans the account's open touches. A stale version (another manager's override or any change since) answers 409 version_conflict with the account as it is now",
        params: z.object({ id: z.string().min(1).max(64) }),
        body: ZTierOverride,
        response: { 200: ZAccount, 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => overrideTier(request.ctx, request.params.id, request.body),
  );

  app.get(
    '/api/cadence',
    {
      schema: {
        tags: ['plan'],
        summary: 'Cadence rules per tier and channel, each with its version',
        response: { 200: z.array(ZCadenceRuleStored) },
      },
    },
    async (request) => getCadenceRules(request.ctx),
  );

  app.put(
    '/api/cadence',
    {
      schema: {
        tags: ['plan'],
        summary:
          'Change cadence rules (interval in months; null = no touches on that channel), each with the version of its tier and channel you read; a stale one answers 409 version_conflict with every rule as it is now and saves nothing',
        body: z.array(ZCadenceRuleChange).min(1).max(6),
        response: { 200: z.array(ZCadenceRuleStored), 400: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request) => setCadenceRules(request.ctx, request.body),
  );

  app.get(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Workspace settings, with their version',
        response: { 200: ZWorkspaceSettingsVersioned },
      },
    },
    async (request) => getWorkspaceSettings(request.ctx),
  );

  app.patch(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Change workspace settings (time zone, holiday country, capacity, horizon, tiering) on the version you read; a stale one answers 409 version_conflict with the settings as they are now',
        body: ZWorkspaceSettingsPatch,
        response: { 200: ZWorkspaceSettingsVersioned, 400: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request) => updateWorkspaceSettings(request.ctx, request.body),
  );
}
