import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TAccountProfile } from '../../api/account-page.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formatDay } from '../touches/dates.ts';
import { SectionCard } from './SectionCard.tsx';

/** The lists the account came from: purchased or free, when acquired, at what cost, which line. */
export function SourcesCard({ profile }: { profile: TAccountProfile }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <SectionCard title={t('account.sources.title')} testId="sources">
      {profile.sources.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('account.sources.empty')}
        </Text>
      ) : (
        <ul className="plain-list divided">
          {profile.sources.map((source) => (
            <li key={source.id}>
              <Stack gap={4} py="xs">
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Text fz="sm" fw={500} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    {source.name}
                  </Text>
                  <Badge
                    variant="light"
                    color={source.kind === 'purchased' ? 'indigo' : 'gray'}
                    c={source.kind === 'purchased' ? 'indigo.9' : 'gray.8'}
                    tt="none"
                    radius="sm"
                    className="nowrap"
                  >
                    {t(`account.sources.${source.kind}`)}
                  </Badge>
                </Group>
                <Text fz="xs" c="dimmed">
                  {[
                    source.acquiredOn &&
                      t('account.sources.acquired', {
                        date: formatDay(source.acquiredOn, format.language, 'date'),
                      }),
                    source.kind === 'purchased' &&
                      source.cost != null &&
                      t('account.sources.cost', { cost: format.money(source.cost) }),
                    source.line != null && t('account.sources.line', { line: source.line }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Stack>
            </li>
          ))}
        </ul>
      )}
    </SectionCard>
  );
}
