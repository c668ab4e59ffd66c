import { NumberInput, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TTierCut } from '../../../../src/schemas/tiering.ts';
import { useRetier } from '../../api/market.ts';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { MoneyInput } from '../market/MoneyInput.tsx';
import { ReadOnlyField, ReadOnlyFields, SaveBar, SettingsSection } from './SettingsSection.tsx';
import { useSettingsDraft } from './use-settings-draft.ts';

const DEFAULT_RANK: TTierCut = { method: 'rank', aPercent: 20, bPercent: 30 };
const DEFAULT_THRESHOLDS: TTierCut = { method: 'thresholds', aMinScore: 100_000_000, bMinScore: 20_000_000 };

/** A cut that can be saved, or why not. */
export function cutProblem(cut: TTierCut): 'sumOver100' | 'bAboveA' | 'missing' | null {
  if (cut.method === 'rank') {
    if (!Number.isFinite(cut.aPercent) || !Number.isFinite(cut.bPercent)) return 'missing';
    return cut.aPercent + cut.bPercent > 100 ? 'sumOver100' : null;
  }
  if (!Number.isFinite(cut.aMinScore) || !Number.isFinite(cut.bMinScore)) return 'missing';
  return cut.bMinScore > cut.aMinScore ? 'bAboveA' : null;
}

/** How scores become tiers: the top 20% / next 30% / rest by rank (method §2), or fixed score thresholds. */
export function TieringSettings({ readOnly = false }: { readOnly?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const methodLabel = useId();
  const form = useSettingsDraft<TTierCut>((s) => s.tiering.cut);
  const retier = useRetier();
  const draft = form.draft;
  const problem = draft ? cutProblem(draft) : null;
  const save = () => {
    if (!draft || problem) return;
    form.save(
      (stored) => ({ tiering: { ...stored.tiering, cut: draft } }),
      () => retier.mutate(),
    );
  };

  return (
    <SettingsSection
      id="tiering"
      title={t('settings.tiering.title')}
      description={t(readOnly ? 'settings.tiering.descriptionReadOnly' : 'settings.tiering.description')}
      readOnly={readOnly}
    >
      {!draft ? (
        <Skeleton h={140} />
      ) : readOnly ? (
        <Stack gap="md">
          <ReadOnlyFields cols={draft.method === 'rank' ? 4 : 3}>
            <ReadOnlyField label={t('settings.tiering.method')}>
              {draft.method === 'rank' ? t('settings.tiering.rank') : t('settings.tiering.thresholds')}
            </ReadOnlyField>
            {draft.method === 'rank' ? (
              <>
                <ReadOnlyField label={t('settings.tiering.aPercent')}>
                  {format.number(draft.aPercent)}%
                </ReadOnlyField>
                <ReadOnlyField label={t('settings.tiering.bPercent')}>
                  {format.number(draft.bPercent)}%
                </ReadOnlyField>
                <ReadOnlyField label={t('settings.tiering.cRest')}>
                  {format.number(Math.max(0, 100 - draft.aPercent - draft.bPercent))}%
                </ReadOnlyField>
              </>
            ) : (
              <>
                <ReadOnlyField label={t('settings.tiering.aMinScore')}>
                  {format.money(draft.aMinScore)}
                </ReadOnlyField>
                <ReadOnlyField label={t('settings.tiering.bMinScore')}>
                  {format.money(draft.bMinScore)}
                </ReadOnlyField>
              </>
            )}
          </ReadOnlyFields>
          <Text fz="xs" c="dimmed">
            {t('settings.tiering.scoreHint')}
          </Text>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <Stack gap="md" mb="md">
            <Stack gap={4}>
              <Text id={methodLabel} fz="sm" fw={500}>
                {t('settings.tiering.method')}
              </Text>
              <SegmentedControl
                aria-labelledby={methodLabel}
                value={draft.method}
                onChange={(value) => {
                  // Switching back shows what is stored for that method, else the method's defaults.
                  const stored = form.query.data?.tiering.cut;
                  if (stored?.method === value) form.setDraft(stored);
                  else form.setDraft(value === 'rank' ? DEFAULT_RANK : DEFAULT_THRESHOLDS);
                }}
                data={[
                  { value: 'rank', label: t('settings.tiering.rank') },
                  { value: 'thresholds', label: t('settings.tiering.thresholds') },
                ]}
                style={{ alignSelf: 'flex-start' }}
              />
            </Stack>
            {draft.method === 'rank' ? (
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <NumberInput
                  label={t('settings.tiering.aPercent')}
                  value={draft.aPercent}
                  min={0}
                  max={100}
                  suffix="%"
                  allowNegative={false}
                  decimalScale={1}
                  onChange={(value) => form.setDraft({ ...draft, aPercent: Number(value) })}
                  error={problem === 'sumOver100' ? t('settings.tiering.sumOver100') : undefined}
                />
                <NumberInput
                  label={t('settings.tiering.bPercent')}
                  value={draft.bPercent}
                  min={0}
                  max={100}
                  suffix="%"
                  allowNegative={false}
                  decimalScale={1}
                  onChange={(value) => form.setDraft({ ...draft, bPercent: Number(value) })}
                  error={problem === 'sumOver100'}
                />
                <Stack gap={4} justify="flex-end">
                  <Text fz="sm" fw={500}>
                    {t('settings.tiering.cRest')}
                  </Text>
                  <Text fz="xl" fw={700} lh={1.6}>
                    {format.number(Math.max(0, 100 - draft.aPercent - draft.bPercent))}%
                  </Text>
                </Stack>
              </SimpleGrid>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <MoneyInput
                  label={t('settings.tiering.aMinScore')}
                  value={Number.isFinite(draft.aMinScore) ? draft.aMinScore : null}
                  onChange={(value) => form.setDraft({ ...draft, aMinScore: value ?? Number.NaN })}
                  error={problem === 'bAboveA' ? t('settings.tiering.bAboveA') : undefined}
                />
                <MoneyInput
                  label={t('settings.tiering.bMinScore')}
                  value={Number.isFinite(draft.bMinScore) ? draft.bMinScore : null}
                  onChange={(value) => form.setDraft({ ...draft, bMinScore: value ?? Number.NaN })}
                  error={problem === 'bAboveA'}
                />
              </SimpleGrid>
            )}
            <Text fz="xs" c="dimmed">
              {t('settings.tiering.scoreHint')}
            </Text>
          </Stack>
          <SaveBar
            dirty={form.dirty && !problem}
            saving={form.update.isPending || retier.isPending}
            saved={form.update.isSuccess}
            error={form.error ?? retier.error}
            conflict={
              form.conflict && (
                <VersionConflictAlert
                  record="settings"
                  onRetry={save}
                  onDiscard={form.reset}
                  retrying={form.update.isPending}
                />
              )
            }
            onReset={form.reset}
            label={t('settings.tiering.saveAndRetier')}
          />
          {retier.data && (
            <Text fz="sm" c={STRONG_TEXT.teal} mt="xs" role="status">
              {t('settings.tiering.retiered', {
                a: format.number(retier.data.A),
                b: format.number(retier.data.B),
                c: format.number(retier.data.C),
              })}
            </Text>
          )}
        </form>
      )}
    </SettingsSection>
  );
}
