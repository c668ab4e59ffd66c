import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccountAssignResult } from '../../../../src/schemas/people.ts';
import { type TPersonOverview, useHandOver, useHandOverPreview } from '../../api/people.ts';
import { Icon } from '../../components/icons.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { toneAlert } from '../plan/tone.ts';
import { FormFooter } from './FormFooter.tsx';

/**
 * Hands every account of a (leaving) person, with their open planned calls and visits, to someone else:
 * the preview says how many will move, and nothing moves until that is confirmed.
 */
export function HandOverModal({
  from,
  people,
  onClose,
}: {
  from: TPersonOverview | null;
  /** Everyone the viewer may hand accounts to (active, visible). */
  people: TPersonOverview[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('people.close') }}
      opened={from !== null}
      onClose={onClose}
      title={from ? t('people.handOver.title', { name: from.name }) : ''}
    >
      {from && <HandOverForm from={from} people={people} onDone={onClose} />}
    </Modal>
  );
}

function HandOverForm({
  from,
  people,
  onDone,
}: {
  from: TPersonOverview;
  people: TPersonOverview[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const preview = useHandOverPreview(from.id);
  const handOver = useHandOver();
  const [toId, setToId] = useState<string | null>(null);
  const [result, setResult] = useState<TAccountAssignResult | null>(null);
  const candidates = people.filter((p) => p.id !== from.id && p.disabledAt === null && p.role !== 'admin');
  const to = candidates.find((p) => p.id === toId) ?? null;

  if (result) {
    return (
      <Stack gap="sm">
        <Alert
          {...toneAlert('teal')}
          icon={<Icon name="check" />}
          role="status"
          title={t('people.handOver.done')}
        >
          {t('people.handOver.result', {
            accounts: result.accounts,
            touches: result.plannedTouches,
            name: to?.name ?? '',
          })}
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onDone}>{t('people.close')}</Button>
        </Group>
      </Stack>
    );
  }
  if (preview.isError) {
    return (
      <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert" title={t('people.loadFailed')}>
        {preview.error.message}
      </Alert>
    );
  }
  if (!preview.data) return <PageLoader minHeight={120} />;
  const { accounts, plannedTouches, territories } = preview.data;

  return (
    <Stack gap="sm">
      <Text fz="sm" data-testid="hand-over-preview">
        {t('people.handOver.holds', { name: from.name, accounts, touches: plannedTouches })}
      </Text>
      {territories.length > 0 && (
        <Text fz="sm" c="dimmed">
          {t('people.handOver.territories', { names: territories.map((x) => x.name).join('、') })}
        </Text>
      )}
      <Select
        label={t('people.handOver.to')}
        placeholder={t('people.handOver.choose')}
        data={candidates.map((p) => ({ value: p.id, label: `${p.name} · ${t(`auth.roles.${p.role}`)}` }))}
        value={toId}
        onChange={setToId}
        searchable
        nothingFoundMessage={t('people.handOver.nobody')}
        comboboxProps={{ withinPortal: true }}
      />
      {to && accounts + plannedTouches > 0 && (
        <Alert {...toneAlert('orange')} icon={<Icon name="info" />} title={t('people.handOver.confirmTitle')}>
          {t('people.handOver.confirmBody', {
            accounts,
            touches: plannedTouches,
            from: from.name,
            to: to.name,
          })}
        </Alert>
      )}
      {accounts + plannedTouches === 0 && <Text fz="sm">{t('people.handOver.nothing')}</Text>}
      <FormFooter error={handOver.error} onCancel={onDone}>
        <Button
          color="orange.9"
          disabled={!to || accounts + plannedTouches === 0}
          loading={handOver.isPending}
          onClick={() =>
            to && handOver.mutate({ fromUserId: from.id, toUserId: to.id }, { onSuccess: setResult })
          }
        >
          {t('people.handOver.confirm', { count: accounts })}
        </Button>
      </FormFooter>
    </Stack>
  );
}
