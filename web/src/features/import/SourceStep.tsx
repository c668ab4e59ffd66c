import { Autocomplete, NumberInput, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TSourceReport } from '../../api/imports.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { isDay } from '../dates/date-text.ts';
import { DateField } from '../dates/LazyDateFields.tsx';

export interface SourceDraft {
  name: string;
  kind: 'purchased' | 'free';
  cost: number | null;
  acquiredOn: string;
  cleaningHours: number | null;
}

interface Props {
  draft: SourceDraft;
  onChange: (draft: SourceDraft) => void;
  sources: TSourceReport[];
  showErrors: boolean;
}

function toNumber(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const parsed = Number.parseFloat(value.replaceAll(',', ''));
  return Number.isFinite(parsed) ? parsed : null;
}

/** What keeps the source step from going on: no name, or an acquired date typed that is no day (2026-02-30). */
export function sourceDraftErrors(draft: SourceDraft): { name?: true; acquiredOn?: true } {
  return {
    ...(draft.name.trim() ? {} : { name: true }),
    ...(draft.acquiredOn && !isDay(draft.acquiredOn) ? { acquiredOn: true } : {}),
  };
}

/**
 * Step 2: where the list came from. Method §1: a purchased list is screened and ready but costs money; a free
 * one (chamber of commerce, library, publications) costs nothing but time to clean. Recording both lets the
 * per-source report compare them.
 */
export function SourceStep({ draft, onChange, sources, showErrors }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const existing = sources.find((source) => source.name === draft.name.trim());
  const errors = showErrors ? sourceDraftErrors(draft) : {};

  const pickName = (name: string) => {
    const match = sources.find((source) => source.name === name);
    if (match && match.name !== existing?.name) {
      // An existing source: start from what it recorded last time.
      onChange({
        name,
        kind: match.kind,
        cost: match.cost,
        acquiredOn: match.acquiredOn ?? draft.acquiredOn,
        cleaningHours: match.cleaningHours,
      });
    } else {
      onChange({ ...draft, name });
    }
  };

  return (
    <Stack gap="lg">
      <Autocomplete
        label={t('import.source.name')}
        description={
          existing
            ? t('import.source.existing', {
                count: existing.accounts,
                date: format.date(existing.lastImportAt),
              })
            : sources.length > 0
              ? t('import.source.nameHelpPick')
              : t('import.source.nameHelp')
        }
        placeholder={t('import.source.namePlaceholder')}
        data={sources.map((source) => source.name)}
        value={draft.name}
        onChange={pickName}
        withAsterisk
        error={errors.name ? t('import.source.nameRequired') : undefined}
        maxLength={200}
        data-testid="source-name"
        comboboxProps={{ withinPortal: true }}
      />

      <Radio.Group
        label={t('import.source.kind')}
        value={draft.kind}
        onChange={(value) => onChange({ ...draft, kind: value === 'free' ? 'free' : 'purchased' })}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
          {(['purchased', 'free'] as const).map((kind) => (
            <Radio.Card key={kind} value={kind} radius="md" p="md" className="import-kind-card">
              <Radio.Indicator className="import-kind-indicator" aria-hidden="true" />
              <div>
                <Text fw={600} fz="sm">
                  {t(`import.source.kinds.${kind}`)}
                </Text>
                <Text fz="sm" c="dimmed" mt={4}>
                  {t(`import.source.kindHelp.${kind}`)}
                </Text>
              </div>
            </Radio.Card>
          ))}
        </SimpleGrid>
      </Radio.Group>

      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <NumberInput
          label={t('import.source.cost')}
          description={
            draft.cost != null && draft.cost > 0 ? (
              t('import.source.costEquals', { amount: format.money(draft.cost) })
            ) : draft.kind === 'purchased' ? (
              <Text component="span" fz="xs" c={STRONG_TEXT.orange} data-testid="cost-missing">
                {t('import.source.costMissing')}
              </Text>
            ) : (
              t('import.source.costHelp')
            )
          }
          value={draft.cost ?? ''}
          onChange={(value) => onChange({ ...draft, cost: toNumber(value) })}
          min={0}
          decimalScale={0}
          thousandSeparator=","
          hideControls
          rightSection={
            <Text fz="sm" c="dimmed" aria-hidden="true">
              {t('import.source.yuan')}
            </Text>
          }
          rightSectionWidth={44}
        />
        <DateField
          label={t('import.source.acquiredOn')}
          description={t('import.source.acquiredOnHelp')}
          value={draft.acquiredOn}
          onChange={(acquiredOn) => onChange({ ...draft, acquiredOn })}
          clearable
          data-testid="source-acquired-on"
        />
        <NumberInput
          label={t('import.source.cleaningHours')}
          description={t('import.source.cleaningHoursHelp')}
          value={draft.cleaningHours ?? ''}
          onChange={(value) => onChange({ ...draft, cleaningHours: toNumber(value) })}
          min={0}
          decimalScale={1}
          hideControls
        />
      </SimpleGrid>
    </Stack>
  );
}
