import type { TTierOverride } from '../../src/schemas/market-api.ts';
import { getAccount } from '../../src/services/accounts.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { overrideTier } from '../../src/services/market.ts';

/** overrideTier on the account as it is now: reads its version first, as the API's clients do. */
export async function overrideTierAsRead(
  ctx: ServiceContext,
  accountId: string,
  change: Omit<TTierOverride, 'version'>,
) {
  const { version } = await getAccount(ctx, accountId);
  return overrideTier(ctx, accountId, { ...change, version });
}
