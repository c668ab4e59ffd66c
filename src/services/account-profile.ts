import type { TAccountProfile, TPersonRef } from '../schemas/account-profile.ts';
import { assertCanSeeAccount } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/** Owner, tier basis, sources and objections met for the account page; 404 when the actor may not see it. */
export async function getAccountProfile(ctx: ServiceContext, accountId: string): Promise<TAccountProfile> {
  const db = ctx.db.kysely;
  const account = await assertCanSeeAccount(ctx, accountId);
  const settings = await readWorkspaceSettings(db);

  const [sources, activities, inMarket, above] = await Promise.all([
    db
      .selectFrom('account_sources as l')
      .innerJoin('sources as s', 's.id', 'l.source_id')
      .select(['s.id', 's.name', 's.kind', 's.cost', 's.acquired_on', 'l.line', 'l.created_at'])
      .where('l.account_id', '=', accountId)
      .orderBy('l.created_at')
      .execute(),
    db
      .selectFrom('activities')
      .select(['user_id', 'objection_id', 'response_id', 'occurred_at'])
      .where('account_id', '=', accountId)
      .orderBy('occurred_at', 'desc')
      .limit(500)
      .execute(),
    db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('in_market', '=', 1)
      .executeTakeFirst(),
    account.in_market === 1 && account.potential_score != null
      ? db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('in_market', '=', 1)
          .where('potential_score', '>', account.potential_score)
          .executeTakeFirst()
      : Promise.resolve(null),
  ]);

  const objectionIds = [...new Set(activities.flatMap((a) => (a.objection_id ? [a.objection_id] : [])))];
  const userIds = new Set(activities.flatMap((a) => (a.user_id ? [a.user_id] : [])));
  if (account.owner_id) userIds.add(account.owner_id);
  if (account.tier_override_by) userIds.add(account.tier_override_by);

  const [objections, responses, users] = await Promise.all([
    objectionIds.length
      ? db
          .selectFrom('objections')
          .select(['id', 'code', 'label_zh', 'label_en', 'zh', 'en'])
          .where('id', 'in', objectionIds)
          .execute()
      : Promise.resolve([]),
    objectionIds.length
      ? db
          .selectFrom('objection_responses')
          .select(['id', 'objection_id', 'code', 'zh', 'en', 'is_preferred'])
          .where('objection_id', 'in', objectionIds)
          .execute()
      : Promise.resolve([]),
    userIds.size
      ? db
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', 'in', [...userIds])
          .execute()
      : Promise.resolve([]),
  ]);

  const person = (id: string | null): TPersonRef | null => {
    if (!id) return null;
    const user = users.find((u) => u.id === id);
    return user ? { id: user.id, name: user.name } : null;
  };

  // Activities are newest first, so the first one seen for an objection is when it was last met.
  const met = new Map<string, { count: number; lastMetAt: string; used: Map<string, number> }>();
  for (const a of activities) {
    if (!a.objection_id) continue;
    let entry = met.get(a.objection_id);
    if (!entry) {
      entry = { count: 0, lastMetAt: a.occurred_at, used: new Map() };
      met.set(a.objection_id, entry);
    }
    entry.count += 1;
    if (a.response_id) entry.used.set(a.response_id, (entry.used.get(a.response_id) ?? 0) + 1);
  }

  return {
    accountId,
    owner: person(account.owner_id),
    tierOverride: account.tier_override
      ? {
          tier: account.tier_override,
          reason: account.tier_override_reason,
          by: person(account.tier_override_by),
          at: account.tier_override_at,
        }
      : null,
    tierBasis: {
      cut: settings.tiering.cut,
      rank: above ? Number(above.n) + 1 : null,
      inMarket: Number(inMarket?.n ?? 0),
    },
    sources: sources.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      cost: s.cost == null ? null : Number(s.cost),
      acquiredOn: s.acquired_on,
      line: s.line,
      addedAt: s.created_at,
    })),
    objections: objections
      .flatMap((o) => {
        const entry = met.get(o.id);
        if (!entry) return [];
        return [
          {
            id: o.id,
            code: o.code,
            label: { zh: o.label_zh, en: o.label_en },
            zh: o.zh,
            en: o.en,
            met: entry.count,
            lastMetAt: entry.lastMetAt,
            responses: responses
              .filter((r) => r.objection_id === o.id && entry.used.has(r.id))
              .map((r) => ({
                id: r.id,
                code: r.code,
                zh: r.zh,
                en: r.en,
                preferred: r.is_preferred === 1,
                used: entry.used.get(r.id) ?? 0,
              }))
              .sort((a, b) => b.used - a.used),
          },
        ];
      })
      .sort((a, b) => b.lastMetAt.localeCompare(a.lastMetAt)),
    people: users
      .filter((u) => activities.some((a) => a.user_id === u.id))
      .map((u) => ({ id: u.id, name: u.name })),
  };
}
