import { useTranslation } from 'react-i18next';
import type { TTier } from '../../../src/schemas/common.ts';
import { PlainBadge, type PlainBadgeColor } from './plain-ui.tsx';

// Hot to cool: A red, B amber, C blue, with text dark enough for 4.5:1 on the light badge (plain-ui.css).
const TIER_COLOR: Record<TTier, PlainBadgeColor> = { A: 'red', B: 'orange', C: 'blue' };

/**
 * A tier as a coloured badge; `withName` adds the tier's meaning (A · Priority). Drawn by PlainBadge: it is on
 * every agenda item and accounts row, and Mantine's Badge worked out its colours on each render.
 */
export function TierBadge({ tier, withName = false }: { tier: TTier | null; withName?: boolean }) {
  const { t } = useTranslation();
  if (!tier) return <PlainBadge color="gray">{t('tier.none')}</PlainBadge>;
  const label = t('tier.option', { tier, name: t(`tier.names.${tier}`) });
  return (
    <PlainBadge color={TIER_COLOR[tier]} narrow={!withName} title={label}>
      {withName ? label : tier}
    </PlainBadge>
  );
}
