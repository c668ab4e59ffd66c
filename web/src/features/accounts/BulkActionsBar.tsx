import { Alert, Button, Group, Modal, Paper, Radio, Select, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TBulkResult } from '../../../../src/schemas/account-bulk.ts';
import type { TPipelineStage, TTier } from '../../../../src/schemas/common.ts';
import type { TAccountQueryJson } from '../../../../src/schemas/saved-view.ts';
import { type BulkAction, useBulkAction } from '../../api/account-bulk.ts';
import { usePlanReps } from '../../api/plan.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STAGES } from './account-view.ts';

/** What is ticked: listed rows, or every account the filter matches (`total` as the list showed it). */
export type Selection = { mode: 'ids'; ids: ReadonlySet<string> } | { mode: 'all'; total: number };

type Selected = { ids: string[] } | { filter: TAccountQueryJson; expectedCount: number };

interface Props {
  selection: Selection;
  /** The list's filters, sent for "all matching". */
  filter: TAccountQueryJson;
  total: number;
  /** Every row of the page is ticked: offer to extend to all matching accounts. */
  pageTicked: boolean;
  canAssign: boolean;
  onSelectAll: () => void;
  onClear: () => void;
}

type ActionKind = BulkAction['kind'];

/** Shown while rows are ticked: how many, "select all N matching", and the bulk actions with their results. */
export function BulkActionsBar({
  selection,
  filter,
  total,
  pageTicked,
  canAssign,
  onSelectAll,
  onClear,
}: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const [action, setAction] = useState<ActionKind | null>(null);
  const [result, setResult] = useState<TBulkResult | null>(null);
  const count = selection.mode === 'all' ? selection.total : selection.ids.size;
  const selected: Selected =
    selection.mode === 'all' ? { filter, expectedCount: selection.total } : { ids: [...selection.ids] };

  if (count === 0 && !result) return null;
  return (
    <Paper withBorder radius="md" p="sm" bg="var(--mantine-color-indigo-light)" data-testid="bulk-bar">
      <Stack gap="xs">
        {count > 0 && (
          <Group justify="space-between" gap="sm" wrap="wrap">
            <Group gap="sm" wrap="wrap">
              <Text fw={600} fz="sm" aria-live="polite" data-testid="bulk-count">
                {selection.mode === 'all'
                  ? t('accounts.select.allMatching', { count })
                  : t('accounts.select.count', { count })}
              </Text>
              {selection.mode === 'ids' && pageTicked && total > count && (
                <Button variant="subtle" size="compact-sm" onClick={onSelectAll}>
                  {t('accounts.select.selectAll', { count: total, total: format.number(total) })}
                </Button>
              )}
              <Button variant="subtle" size="compact-sm" color="gray" c="gray.8" onClick={onClear}>
                {t('accounts.select.clear')}
              </Button>
            </Group>
            <Group gap="xs" wrap="wrap" role="group" aria-label={t('accounts.bulk.label')}>
              {canAssign && (
                <Button size="xs" variant="white" onClick={() => setAction('assign')}>
                  {t('accounts.bulk.assign')}
                </Button>
              )}
              <Button size="xs" variant="white" onClick={() => setAction('tier')}>
                {t('accounts.bulk.tier')}
              </Button>
              <Button size="xs" variant="white" onClick={() => setAction('stage')}>
                {t('accounts.bulk.stage')}
              </Button>
            </Group>
          </Group>
        )}
        {result && <BulkResultNote result={result} onDismiss={() => setResult(null)} />}
      </Stack>
      <BulkActionModal
        kind={action}
        count={count}
        selected={selected}
        onClose={() => setAction(null)}
        onDone={(outcome) => {
          setAction(null);
          setResult(outcome);
          onClear();
        }}
      />
    </Paper>
  );
}

function BulkResultNote({ result, onDismiss }: { result: TBulkResult; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color={result.changed > 0 ? 'teal' : 'gray'}
      variant="light"
      role="status"
      data-testid="bulk-result"
      withCloseButton
      closeButtonLabel={t('accounts.bulk.dismiss')}
      onClose={onDismiss}
    >
      <Text fz="sm" fw={600}>
        {t('accounts.bulk.result', { changed: result.changed, count: result.matched })}
      </Text>
      {result.skipped.map((skip) => (
        <Text fz="sm" key={skip.reason}>
          {t(`accounts.bulk.skipped.${skip.reason}`, { count: skip.count })}
        </Text>
      ))}
      {result.plannedTouches ? (
        <Text fz="sm">{t('accounts.bulk.plannedTouches', { count: result.plannedTouches })}</Text>
      ) : null}
    </Alert>
  );
}

function BulkActionModal({
  kind,
  count,
  selected,
  onClose,
  onDone,
}: {
  kind: ActionKind | null;
  count: number;
  selected: Selected;
  onClose: () => void;
  onDone: (result: TBulkResult) => void;
}) {
  const { t } = useTranslation();
  const bulk = useBulkAction();
  const owners = usePlanReps();
  const [owner, setOwner] = useState<string | null>(null);
  const [tier, setTier] = useState<TTier | 'remove'>('A');
  const [reason, setReason] = useState('');
  const [stage, setStage] = useState<TPipelineStage | null>(null);
  const close = () => {
    bulk.reset();
    setReason('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!kind) return;
    let body: BulkAction;
    if (kind === 'assign') {
      if (!owner) return;
      body = { kind, ...selected, toUserId: owner };
    } else if (kind === 'tier') {
      body = { kind, ...selected, tier: tier === 'remove' ? null : tier, reason };
    } else {
      if (!stage) return;
      body = { kind, ...selected, stage };
    }
    bulk.mutate(body, {
      onSuccess: (result) => {
        setReason('');
        onDone(result);
      },
    });
  };
  const ready =
    kind === 'assign' ? owner !== null : kind === 'tier' ? reason.trim().length > 0 : stage !== null;
  return (
    <Modal
      opened={kind !== null}
      onClose={close}
      title={kind ? t(`accounts.bulk.${kind}Title`, { count }) : ''}
      closeButtonProps={{ 'aria-label': t('accounts.bulk.dismiss') }}
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          {kind === 'assign' && (
            <Select
              label={t('accounts.bulk.owner')}
              data={(owners.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
              value={owner}
              onChange={setOwner}
              searchable
              required
              comboboxProps={{ withinPortal: true }}
              data-autofocus
            />
          )}
          {kind === 'tier' && (
            <>
              <Radio.Group
                label={t('accounts.bulk.tierLabel')}
                value={tier}
                onChange={(value) => setTier(value as TTier | 'remove')}
              >
                <Group gap="md" mt={6}>
                  {(['A', 'B', 'C'] as const).map((value) => (
                    <Radio
                      key={value}
                      value={value}
                      label={t('tier.option', { tier: value, name: t(`tier.names.${value}`) })}
                    />
                  ))}
                  <Radio value="remove" label={t('accounts.bulk.tierRemove')} />
                </Group>
              </Radio.Group>
              <Textarea
                label={t('accounts.bulk.reason')}
                description={t('accounts.bulk.reasonHint')}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                maxLength={500}
                autosize
                minRows={2}
                required
              />
            </>
          )}
          {kind === 'stage' && (
            <Select
              label={t('accounts.bulk.stageLabel')}
              data={STAGES.map((value) => ({ value, label: t(`stage.${value}`) }))}
              value={stage}
              onChange={(value) => setStage(value as TPipelineStage | null)}
              required
              comboboxProps={{ withinPortal: true }}
              data-autofocus
            />
          )}
          {bulk.error && (
            <Alert color="red" variant="light" role="alert">
              {bulk.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('accounts.views.cancel')}
            </Button>
            <Button type="submit" loading={bulk.isPending} disabled={!ready}>
              {t('accounts.bulk.apply', { count })}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
