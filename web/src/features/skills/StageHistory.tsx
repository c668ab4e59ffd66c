import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TStageHistoryEntry } from '../../api/practice.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { apiLang, inLang } from '../playbook/text.ts';
import { StageBadge } from './StageBadge.tsx';

/** Every stage move, newest first: when, which skill, from → to, and why (the rule or who assessed). */
export function StageHistory({ entries }: { entries: readonly TStageHistoryEntry[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = apiLang(format.language);
  if (entries.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        {t('skills.history.empty')}
      </Text>
    );
  }
  return (
    <ol className="plain-list divided stage-history" data-testid="stage-history">
      {entries.map((entry) => (
        <li key={entry.id}>
          <Group justify="space-between" gap="xs" wrap="wrap">
            <Text fz="sm" fw={600}>
              {inLang(entry.skill, lang)}
            </Text>
            <Text fz="xs" c="gray.7" component="time" dateTime={entry.at}>
              {format.dateTime(entry.at)}
            </Text>
          </Group>
          <Group gap={6} mt={4} wrap="wrap">
            <StageBadge stage={entry.from} short />
            <Icon name="chevronRight" size={14} />
            <StageBadge stage={entry.to} short />
            <Text fz="xs" c="gray.8">
              {entry.ruleLabel ? inLang(entry.ruleLabel, lang) : entry.rule}
              {entry.assessedByName ? ` · ${t('skills.history.by', { name: entry.assessedByName })}` : ''}
            </Text>
          </Group>
          {entry.reason && entry.rule === 'manager-assessment' && (
            <Text fz="xs" c="gray.7" mt={2}>
              {t('skills.history.reason', { reason: entry.reason })}
            </Text>
          )}
        </li>
      ))}
    </ol>
  );
}
