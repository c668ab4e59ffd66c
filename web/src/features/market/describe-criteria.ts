import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMarketCriteria } from '../../../../src/schemas/market.ts';
import { useFormat } from '../../i18n/use-format.ts';

const CRITERIA = [
  'minAnnualSales',
  'maxAnnualSales',
  'minEmployees',
  'maxEmployees',
  'minNetAssets',
  'maxNetAssets',
  'provinces',
  'cities',
  'districts',
  'industries',
  'sourceIds',
  'territoryId',
] as const satisfies readonly (keyof TMarketCriteria)[];
type CriterionName = (typeof CRITERIA)[number];

function isCriterion(name: string): name is CriterionName {
  return (CRITERIA as readonly string[]).includes(name);
}

/** A criterion's name as people say it ("annual sales, lower limit"), for "saving relaxes …". */
export function useCriterionLabel() {
  const { t } = useTranslation();
  return useCallback((name: string) => (isCriterion(name) ? t(`market.criteria.${name}`) : name), [t]);
}

/** A definition in short phrases: "annual sales ≥ 5000万", "province: 广东省, 江苏省". */
export function useDescribeCriteria() {
  const { t } = useTranslation();
  const format = useFormat();
  return useCallback(
    (criteria: TMarketCriteria): string[] => {
      const parts: string[] = [];
      const range = (
        label: string,
        min: number | undefined,
        max: number | undefined,
        show: (v: number) => string,
      ) => {
        if (min != null && max != null)
          parts.push(t('market.describe.between', { label, min: show(min), max: show(max) }));
        else if (min != null) parts.push(t('market.describe.atLeast', { label, value: show(min) }));
        else if (max != null) parts.push(t('market.describe.atMost', { label, value: show(max) }));
      };
      range(t('market.describe.annualSales'), criteria.minAnnualSales, criteria.maxAnnualSales, format.money);
      range(t('market.describe.employees'), criteria.minEmployees, criteria.maxEmployees, format.number);
      range(t('market.describe.netAssets'), criteria.minNetAssets, criteria.maxNetAssets, format.money);
      const list = (label: string, values: string[] | undefined) => {
        if (values?.length)
          parts.push(t('market.describe.list', { label, values: values.join(t('market.listSeparator')) }));
      };
      list(t('market.describe.provinces'), criteria.provinces);
      list(t('market.describe.cities'), criteria.cities);
      list(t('market.describe.districts'), criteria.districts);
      list(t('market.describe.industries'), criteria.industries);
      if (criteria.sourceIds?.length)
        parts.push(t('market.describe.sources', { count: criteria.sourceIds.length }));
      if (criteria.territoryId) parts.push(t('market.describe.territory'));
      return parts;
    },
    [t, format],
  );
}
