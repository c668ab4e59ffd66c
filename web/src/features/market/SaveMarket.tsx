import { Alert, Button, Group, List, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMarketCriteria } from '../../../../src/schemas/market.ts';
import type { TMarketDefinition, TMarketPreview } from '../../../../src/schemas/market-api.ts';
import { ApiError } from '../../api/client.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import { type MarketSaveResult, useSaveMarket, type WideningDetails } from '../../api/market.ts';
import { Icon } from '../../components/icons.tsx';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { useCriterionLabel } from './describe-criteria.ts';
import { share } from './MarketPreviewPanel.tsx';

interface Props {
  criteria: TMarketCriteria;
  /** The current version the draft started from (null: there was none); a newer one saved since is refused. */
  version: number | null;
  /** The user saves their criteria on top of the version someone else saved meanwhile. */
  onRebase: (current: TMarketDefinition) => void;
  /** The user drops their criteria for the ones someone else saved meanwhile. */
  onTakeCurrent: (current: TMarketDefinition) => void;
  preview: TMarketPreview | undefined;
  /** Whether saving now would widen the market (from the preview of exactly these criteria). */
  widening: boolean;
  /** Nothing to save: the draft is the current definition, has an impossible range, or is still loading. */
  disabled: boolean;
  onSaved: (result: MarketSaveResult) => void;
}

/** The 409 that asks to confirm a widening (code `conflict`), not a stale version. */
function isWidening(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'conflict';
}

interface Confirmation {
  widened: string[];
  coverage: { matching: number; withRelationship: number } | null;
}

/**
 * Saves the draft as a new version. Widening is a deliberate step (method §1): a dialog shows how much of
 * the current market is already being worked and asks before sending `widen: true`.
 */
export function SaveMarket({
  criteria,
  version,
  onRebase,
  onTakeCurrent,
  preview,
  widening,
  disabled,
  onSaved,
}: Props) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const criterionLabel = useCriterionLabel();
  const save = useSaveMarket();
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  // Someone else saved a newer version since the draft started (409 version_conflict): nothing was saved.
  const [conflict, setConflict] = useState<TMarketDefinition | null>(null);

  const submit = (widen: boolean, base: number | null = version) => {
    setConflict(null);
    save.mutate(
      {
        version: base,
        criteria,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(widen ? { widen: true } : {}),
      },
      {
        onSuccess: (result) => {
          setConfirm(null);
          setNote('');
          onSaved(result);
        },
        onError: (error) => {
          const current = conflictCurrent<TMarketDefinition>(error);
          if (current) {
            setConfirm(null);
            setConflict(current);
          } else if (isWidening(error) && !widen) {
            // The market changed under us (another tab, another person): now it widens after all.
            const details = ((error as ApiError).details ?? {}) as WideningDetails;
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
  const showError = error && !conflict && !(isWidening(error) && confirm);
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
        {conflict && (
          <VersionConflictAlert
            record="market"
            onRetry={() => {
              onRebase(conflict);
              submit(false, conflict.version);
            }}
            onDiscard={() => {
              setConflict(null);
              save.reset();
              onTakeCurrent(conflict);
            }}
            retrying={save.isPending}
          >
            <Text fz="sm" data-testid="conflict-current">
              {t('market.currentVersion', { version: conflict.version, count: conflict.matching })}
            </Text>
          </VersionConflictAlert>
        )}
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
          {error && !isWidening(error) && !conflictCurrent(error) && (
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
