import { ActionIcon, Button, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons.tsx';

interface Props {
  /** The day on screen (YYYY-MM-DD). */
  date: string;
  isToday: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onToday: () => void;
}

/** Yesterday / today / tomorrow for the agenda; the day is in the URL (`?date=`), so Back steps through days. */
export function DateSwitcher({ date, isToday, onPrevious, onNext, onToday }: Props) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" role="group" aria-label={t('today.date.label')} data-date={date}>
      <Tooltip label={t('today.date.previous')} openDelay={400}>
        <ActionIcon
          variant="default"
          size={40}
          radius="md"
          onClick={onPrevious}
          aria-label={t('today.date.previous')}
          aria-keyshortcuts="["
        >
          <Icon name="chevronLeft" />
        </ActionIcon>
      </Tooltip>
      <Button
        variant={isToday ? 'light' : 'default'}
        h={40}
        radius="md"
        onClick={onToday}
        aria-keyshortcuts="t"
        data-testid="back-to-today"
      >
        {isToday ? t('today.date.today') : t('today.date.backToToday')}
      </Button>
      <Tooltip label={t('today.date.next')} openDelay={400}>
        <ActionIcon
          variant="default"
          size={40}
          radius="md"
          onClick={onNext}
          aria-label={t('today.date.next')}
          aria-keyshortcuts="]"
        >
          <Icon name="chevronRight" />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
