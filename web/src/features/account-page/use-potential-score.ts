import { useTranslation } from 'react-i18next';
import type { TAccount } from '../../../../src/schemas/account.ts';
import { useWorkspaceSettings } from '../../api/workspace-settings.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { scoreBasis } from './tier-basis.ts';

/**
 * An account's potential score as shown, with what it is based on (the workspace's tiering settings; the defaults
 * while they load): 按年销售额 1.78亿 / ¥178.0M by annual sales. Null without a score.
 */
export function usePotentialScore(): (account: TAccount) => string | null {
  const { t } = useTranslation();
  const format = useFormat();
  const tiering = useWorkspaceSettings().data?.tiering;
  return (account) => {
    if (account.potentialScore == null) return null;
    const score = format.money(account.potentialScore);
    const basis = scoreBasis(account, tiering);
    if (!basis) return score;
    if (basis.key !== 'mixed') return t(`account.scoreBasis.${basis.key}`, { score });
    const statistics = basis.statistics
      .map((statistic) => t(`account.scoreBasis.statistics.${statistic}`))
      .join(t('account.scoreBasis.listSeparator'));
    return t('account.scoreBasis.mixed', { score, statistics });
  };
}
