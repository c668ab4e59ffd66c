import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TAccountProfile } from '../../api/account-page.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { dayIn, formatDay } from '../touches/dates.ts';
import { SectionCard } from './SectionCard.tsx';

/** The objections met on this account, latest first, with the responses used and how often. */
export function ObjectionsMetCard({
  profile,
  currentYear,
  timeZone,
}: {
  profile: TAccountProfile;
  currentYear: string;
  /** The workspace's time zone: the day an objection was last met is the day on its clock. */
  timeZone?: string;
}) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const lang = language === 'en' ? 'en' : 'zh';
  return (
    <SectionCard
      title={t('account.objectionsMet.title')}
      aside={profile.objections.length > 0 ? profile.objections.length : undefined}
      testId="objections-met"
    >
      {profile.objections.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('account.objectionsMet.empty')}
        </Text>
      ) : (
        <ul className="plain-list divided">
          {profile.objections.map((objection) => (
            <li key={objection.id}>
              <Stack gap={6} py="sm">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text fz="sm" fw={600}>
                    {objection.label[lang] || objection[lang]}
                  </Text>
                  <Text fz="xs" c="dimmed">
                    {t('account.objectionsMet.met', {
                      count: objection.met,
                      date: formatDay(
                        dayIn(timeZone, new Date(objection.lastMetAt)),
                        language,
                        'short',
                        currentYear,
                      ),
                    })}
                  </Text>
                </Group>
                <Text fz="sm" c="dimmed">
                  “{objection[lang]}”
                </Text>
                {objection.responses.map((response) => (
                  <Stack key={response.id} gap={2} className="quote">
                    <Group gap={6}>
                      <Text fz="xs" c="dimmed">
                        {t('account.objectionsMet.used', { count: response.used })}
                      </Text>
                      {response.preferred && (
                        <Badge
                          size="xs"
                          variant="light"
                          color="teal"
                          c={STRONG_TEXT.teal}
                          tt="none"
                          radius="sm"
                        >
                          {t('logForm.preferred')}
                        </Badge>
                      )}
                    </Group>
                    <Text fz="sm" lineClamp={3}>
                      {response[lang]}
                    </Text>
                  </Stack>
                ))}
              </Stack>
            </li>
          ))}
        </ul>
      )}
    </SectionCard>
  );
}
