import { Alert, Badge, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TPlannedTouch } from '../../api/account-page.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { ChannelIcon } from '../touches/ChannelIcon.tsx';
import { formatDay } from '../touches/dates.ts';
import { SectionCard } from './SectionCard.tsx';

const FIRST = 4;

interface Props {
  touches: TPlannedTouch[] | undefined;
  error: Error | null;
  /** Today (YYYY-MM-DD), to mark what is overdue or due today. */
  today: string;
}

/** The next calls and visits the plan holds for the account. */
export function PlannedTouchesCard({ touches, error, today }: Props) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const [all, setAll] = useState(false);
  const year = today.slice(0, 4);
  const shown = touches ? (all ? touches : touches.slice(0, FIRST)) : [];

  return (
    <SectionCard title={t('account.planned.title')} testId="planned">
      {error ? (
        <Alert color="red" variant="light" icon={<Icon name="alert" />}>
          {error.message}
        </Alert>
      ) : !touches ? (
        <Skeleton h={64} aria-busy="true" />
      ) : touches.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('account.planned.empty')}
        </Text>
      ) : (
        <Stack gap="xs">
          <ul className="plain-list planned-list">
            {shown.map((touch) => (
              <li key={touch.id}>
                <Group gap="sm" wrap="nowrap" py={6}>
                  <ChannelIcon channel={touch.channel} size={28} />
                  <Text fz="sm" fw={500} style={{ flex: 1 }}>
                    {formatDay(touch.dueOn, language, 'weekday', year)}
                    {touch.dueTime && ` ${touch.dueTime}`}
                  </Text>
                  <Text fz="sm" c="dimmed">
                    {t(`logForm.channels.${touch.channel}`)}
                  </Text>
                  {touch.dueOn < today ? (
                    <Badge variant="light" color="red" c={STRONG_TEXT.red} tt="none" radius="sm">
                      {t('account.planned.overdue')}
                    </Badge>
                  ) : touch.dueOn === today ? (
                    <Badge variant="light" color="indigo" c="indigo.9" tt="none" radius="sm">
                      {t('account.planned.today')}
                    </Badge>
                  ) : null}
                </Group>
              </li>
            ))}
          </ul>
          {touches.length > FIRST && (
            <Button variant="subtle" size="sm" onClick={() => setAll((v) => !v)} aria-expanded={all}>
              {all ? t('account.planned.showFewer') : t('account.planned.showAll', { count: touches.length })}
            </Button>
          )}
        </Stack>
      )}
    </SectionCard>
  );
}
