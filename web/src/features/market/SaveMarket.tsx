import { Alert, Button, Group, List, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMarketCriteria } from '../../../../src/schemas/market.ts';
import type { TMarketPreview } from '../../../../src/schemas/market-api.ts';
import { ApiError } from '../../api/client.ts';
import { type MarketSaveResult, useSaveMarket, type WideningDetails } from '../../api/market.ts';
import { Icon } from '../../components/icons.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { useCriterionLabel } from './describe-criteria.ts';
import { share } from './MarketPreviewPanel.tsx';

interface Props {
  criteria: TMarketCriteria;
  preview: TMarketPreview | undefined;
  /** Whether saving now would widen the market (from the preview of exactly these criteria). */
  widening: boolean;
  /** Nothing to save: the draft is the current definition, has an impossible range, or is still loading. */
  disabled: boolean;
  onSaved: (result: MarketSaveResult) => void;
}

interface Confirmation {
  widened: string[];
  coverage: { matching: number; withRelationship: number } | null;
}

/**
 * Saves the draft as a new version. Widening is a deliberate step (method §1): a dialog shows how much of
 * the current market is already being worked and asks before sending `widen: true`.
 */
export function SaveMarket({ criteria, preview, widening, disabled, onSaved }: Props) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const criterionLabel = useCriterionLabel();
  const save = useSaveMarket();
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState<Confirmation | null>(null);

  const submit = (widen: boolean) => {
    save.mutate(
      { criteria, ...(note.trim() ? { note: note.trim() } : {}), ...(widen ? { widen: true } : {}) },
      {
        onSuccess: (result) => {
          setConfirm(null);
          setNote('');
          onSaved(result);
        },
        onError: (error) => {
          // The market changed under us (another tab, another person): now it widens after all.
          if (error instanceof ApiError && error.status === 409 && !widen) {
            const details = (error.details ?? {}) as WideningDetails;
            setConfirm({ widened: details.widened ?? [], coverage: details.coverage ?? null });
          }
        },
      },
    );
  };

  const onSave = () => {
    if (widening && preview) {
      save.reset();
      setConfirm({ widened: preview.widened, coverage: preview.currentCoverage });
    } else {
      submit(false);
    }
  };

  const error = save.error;
  const showError = error && !(error instanceof ApiError && error.status === 409 && confirm);
  const coverage = confirm?.coverage;

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <TextInput
          label={t('market.save.note')}
          placeholder={t('market.save.notePlaceholder')}
          value={note}
          maxLength={1000}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Text fz="xs" c="dimmed" maw={320}>
            {t('market.save.hint')}
          </Text>
          <Button
            onClick={onSave}
            disabled={disabled}
            loading={save.isPending && !confirm}
            color={widening ? STRONG_TEXT.orange : undefined}
          >
            {widening ? t('market.save.widenButton') : t('market.save.button')}
          </Button>
        </Group>
        {showError && (
          <Alert
            {...toneAlert('red')}
            icon={<Icon name="alert" />}
            title={t('market.save.failed')}
            role="alert"
          >
            {error.message}
          </Alert>
        )}
      </Stack>

      <Modal
        opened={confirm != null}
        onClose={() => setConfirm(null)}
        title={
          <Text component="span" fw={700} fz="lg">
            {t('market.widen.title')}
          </Text>
        }
        size="lg"
        closeButtonProps={{ 'aria-label': t('market.widen.close') }}
      >
        <Stack gap="md">
          <Text fz="sm">{t('market.widen.method')}</Text>
          {coverage && (
            <Paper withBorder radius="md" p="md" bg="gray.0">
              <Stack gap={4}>
                <Title order={3} fz="sm">
                  {t('market.widen.coverageTitle', { version: preview?.currentVersion ?? '' })}
                </Title>
                <Group gap="xs" align="baseline">
                  <Text fz={28} fw={700} lh={1.1} c="teal.9">
                    {format.percent(share(coverage.withRelationship, coverage.matching))}
                  </Text>
                  <Text fz="sm">
                    {t('market.widen.coverage', {
                      covered: coverage.withRelationship,
                      matching: coverage.matching,
                    })}
                  </Text>
                </Group>
                <Text fz="sm" c="dimmed">
                  {t('market.widen.notWorked', { count: coverage.matching - coverage.withRelationship })}
                </Text>
              </Stack>
            </Paper>
          )}
          {confirm && confirm.widened.length > 0 && (
            <div>
              <Text fz="sm" fw={600} mb={4}>
                {t('market.widen.relaxed')}
              </Text>
              <List size="sm" spacing={2}>
                {confirm.widened.map((name) => (
                  <List.Item key={name}>{criterionLabel(name)}</List.Item>
                ))}
              </List>
            </div>
          )}
          {preview && (
            <Text fz="sm">
              {t('market.widen.after', {
                count: preview.matching,
                withRelationship: preview.withRelationship,
              })}
            </Text>
          )}
          {error && !(error instanceof ApiError && error.status === 409) && (
            <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert">
              {error.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('market.widen.cancel')}
            </Button>
            <Button color={STRONG_TEXT.orange} onClick={() => submit(true)} loading={save.isPending}>
              {t('market.widen.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
