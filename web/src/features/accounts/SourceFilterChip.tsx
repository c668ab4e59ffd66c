import { Badge, CloseButton, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSourceOptions } from '../../api/market.ts';

/** The one filter the filter bar has no control for: accounts from one import source (linked from an import). */
export function SourceFilterChip({ id, onClear }: { id: string; onClear: () => void }) {
  const { t } = useTranslation();
  const sources = useSourceOptions();
  const name = sources.data?.find((source) => source.id === id)?.name ?? id;
  return (
    <Group gap={4} data-testid="source-filter">
      <Badge
        size="lg"
        radius="sm"
        variant="light"
        color="indigo"
        tt="none"
        rightSection={
          <CloseButton
            size="xs"
            variant="transparent"
            c="indigo.9"
            onClick={onClear}
            aria-label={t('import.sourceFilter.clear')}
          />
        }
      >
        {t('import.sourceFilter.label', { name })}
      </Badge>
    </Group>
  );
}
