import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TCapacityOption } from '../../api/plan.ts';
import { usePlanFormat } from './use-plan-format.ts';

/** An option in words: what it does, and what it changes beyond this plan. */
export function useDescribeOption() {
  const { t } = useTranslation();
  const format = usePlanFormat();
  return useCallback(
    (option: TCapacityOption, forRep: boolean): { title: string; effect: string } => {
      switch (option.kind) {
        case 'demote-a-to-b':
        case 'demote-b-to-c':
          return {
            title: t(`plan.options.${option.kind === 'demote-a-to-b' ? 'demoteAToB' : 'demoteBToC'}`, {
              count: option.count,
            }),
            effect: t('plan.options.demoteEffect'),
          };
        case 'stretch-interval':
          return {
            title: t('plan.options.stretch', {
              tier: option.tier,
              channel: t(`plan.channel.${option.channel}`),
              from: format.decimal(option.fromMonths),
              to: format.decimal(option.intervalMonths),
            }),
            effect: t('plan.options.stretchEffect'),
          };
        case 'raise-capacity':
          return {
            title: t(`plan.options.raise.${option.channel}`, { perDay: option.perDay }),
            effect: forRep ? t('plan.options.raiseEffectRep') : t('plan.options.raiseEffectWorkspace'),
          };
      }
    },
    [t, format],
  );
}
