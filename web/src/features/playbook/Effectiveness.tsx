import { Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TSuccessStats } from '../../../../src/schemas/playbook-api.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formatShare, isSmallSample } from './stats.ts';

/**
 * How well something works, always with its sample: "33% led to a meeting (2 of 6)". Nothing logged yet
 * says so instead of showing 0 %.
 */
export function Effectiveness({
  stats,
  kind,
  fz = 'sm',
}: {
  stats: TSuccessStats;
  kind: 'met' | 'used';
  fz?: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (stats.count === 0) {
    return (
      <Text fz={fz} c="dimmed" className="effectiveness" span>
        {kind === 'met' ? t('playbook.stats.neverMet') : t('playbook.stats.neverUsed')}
      </Text>
    );
  }
  const small = isSmallSample(stats);
  return (
    <Text fz={fz} c="gray.8" className="effectiveness tabular" span>
      <Text span fw={700} fz={fz} c="gray.9">
        {formatShare(stats.successRate, format.language)}
      </Text>{' '}
      {t('playbook.stats.ledTo', {
        successes: format.number(stats.successes),
        count: stats.count,
      })}
      {small && (
        <Tooltip label={t('playbook.stats.smallSampleHint')} multiline w={260} withArrow>
          <Text span fz="xs" c="dimmed" ml={6} tabIndex={0} className="small-sample">
            {t('playbook.stats.smallSample')}
          </Text>
        </Tooltip>
      )}
    </Text>
  );
}
