import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TTier } from '../../../src/schemas/common.ts';
import { STRONG_TEXT } from '../theme.ts';

// Hot to cool: A red, B amber, C blue, with text dark enough for 4.5:1 on the light badge.
const TIER_STYLE: Record<TTier, { color: string; text: string }> = {
  A: { color: 'red', text: STRONG_TEXT.red },
  B: { color: 'orange', text: STRONG_TEXT.orange },
  C: { color: 'blue', text: STRONG_TEXT.blue },
};

/** A tier as a coloured badge; `withName` adds the tier's meaning (A · Priority). */
export function TierBadge({ tier, withName = false }: { tier: TTier | null; withName?: boolean }) {
  const { t } = useTranslation();
  if (!tier) {
    return (
      <Badge variant="outline" color="gray" c="gray.7" tt="none" radius="sm" fw={500}>
        {t('tier.none')}
      </Badge>
    );
  }
  const style = TIER_STYLE[tier];
  return (
    <Badge
      variant="light"
      color={style.color}
      c={style.text}
      tt="none"
      radius="sm"
      miw={withName ? undefined : 28}
      title={t('tier.option', { tier, name: t(`tier.names.${tier}`) })}
    >
      {withName ? t('tier.option', { tier, name: t(`tier.names.${tier}`) }) : tier}
    </Badge>
  );
}
