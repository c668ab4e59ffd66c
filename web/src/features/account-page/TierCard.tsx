import {
  Alert,
  Badge,
  Button,
  DataList,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccount } from '../../../../src/schemas/account.ts';
import type { TTier } from '../../../../src/schemas/common.ts';
import { type TAccountProfile, useTierOverride } from '../../api/account-page.ts';
import { accountKeys } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import { Icon } from '../../components/icons.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { showToast } from '../touches/toast.ts';
import { SectionCard } from './SectionCard.tsx';
import { topPercent } from './tier-basis.ts';
import { usePotentialScore } from './use-potential-score.ts';

type Choice = TTier | 'auto';

function OverrideForm({
  account,
  onDone,
  onCancel,
}: {
  account: TAccount;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const client = useQueryClient();
  const override = useTierOverride();
  /** Someone else changed the account since it was read (409): the account as it is now; nothing was saved. */
  const [conflict, setConflict] = useState<TAccount | null>(null);
  const [choice, setChoice] = useState<Choice>(account.tierOverride ?? account.tier ?? 'A');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  const choices: Choice[] = account.tierOverride ? ['A', 'B', 'C', 'auto'] : ['A', 'B', 'C'];

  function save(version: number) {
    setConflict(null);
    override.mutate(
      { id: account.id, tier: choice === 'auto' ? null : choice, reason: reason.trim(), version },
      {
        onError: (error) => {
          const current = conflictCurrent<TAccount>(error);
          if (!current) return;
          // Show what is there now; the user decides whether their override still applies.
          client.setQueryData(accountKeys.detail(current.id), current);
          setConflict(current);
        },
        onSuccess: (after) => {
          showToast({
            tone: 'success',
            title: t('account.tierOverride.saved'),
            message: after.tierOverride
              ? t('account.tierOverride.savedTo', { tier: after.tierOverride })
              : t('account.tierOverride.savedAuto', { tier: after.tier ?? '—' }),
          });
          onDone();
        },
      },
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('account.tierOverride.reasonRequired'));
      return;
    }
    save(account.version);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Stack gap={6}>
          <Text fz="sm" fw={500} id={`${ids}-tier`}>
            {t('account.tierOverride.tier')}
          </Text>
          <SegmentedControl
            aria-labelledby={`${ids}-tier`}
            fullWidth
            value={choice}
            onChange={(value) => setChoice(value as Choice)}
            data={choices.map((value) => ({
              value,
              label:
                value === 'auto'
                  ? t('account.tierOverride.auto')
                  : t('tier.option', { tier: value, name: t(`tier.names.${value}`) }),
            }))}
          />
        </Stack>
        <Textarea
          label={t('account.tierOverride.reason')}
          description={t('account.tierOverride.reasonHint')}
          required
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          error={reasonError}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setReasonError(null);
          }}
          data-autofocus
        />
        {conflict ? (
          <VersionConflictAlert
            record="account"
            onRetry={() => save(conflict.version)}
            onDiscard={onCancel}
            retrying={override.isPending}
          >
            <Group gap="xs">
              <TierBadge tier={conflict.tier} withName />
              <Badge variant="light" color="gray" c="gray.8" tt="none" radius="sm">
                {conflict.tierOverride ? t('account.overridden') : t('account.tierWhy.computed')}
              </Badge>
            </Group>
            {conflict.tierOverrideReason && <Text fz="sm">{conflict.tierOverrideReason}</Text>}
          </VersionConflictAlert>
        ) : (
          override.isError && (
            <Alert
              color="red"
              variant="light"
              icon={<Icon name="alert" />}
              role="alert"
              title={t('account.tierOverride.failed')}
            >
              {override.error instanceof ApiError && override.error.isNetworkError
                ? t('errors.network')
                : override.error.message}
            </Alert>
          )
        )}
        <Group justify="flex-end" gap="sm" grow>
          <Button variant="default" onClick={onCancel}>
            {t('logForm.cancel')}
          </Button>
          <Button type="submit" loading={override.isPending}>
            {t('account.tierOverride.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The tier and why: in the market or not, the potential score and its rank, and any manual override. */
export function TierCard({ account, profile }: { account: TAccount; profile: TAccountProfile | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const [editing, setEditing] = useState(false);
  const basis = profile?.tierBasis;
  const potentialScore = usePotentialScore();
  const override = profile?.tierOverride ?? null;
  const canOverride = account.inMarket || account.tierOverride != null;

  return (
    <SectionCard
      title={t('account.tierWhy.title')}
      testId="tier-card"
      action={
        canOverride && (
          <Button
            size="xs"
            variant="light"
            leftSection={<Icon name="pencil" size={14} />}
            onClick={() => setEditing(true)}
            aria-haspopup="dialog"
          >
            {t('account.tierOverride.open')}
          </Button>
        )
      }
    >
      <Stack gap="sm">
        <Group gap="xs">
          <TierBadge tier={account.tier} withName />
          {account.tierOverride ? (
            <Badge variant="light" color="orange" c={STRONG_TEXT.orange} tt="none" radius="sm">
              {t('account.overridden')}
            </Badge>
          ) : (
            account.tier && (
              <Badge variant="light" color="gray" c="gray.8" tt="none" radius="sm">
                {t('account.tierWhy.computed')}
              </Badge>
            )
          )}
        </Group>

        {!account.inMarket && (
          <Text fz="sm" c="dimmed">
            {t('account.tierWhy.outOfMarket')}
          </Text>
        )}

        <DataList orientation="horizontal" labelWidth={96} gap="xs" size="sm">
          <DataList.Item>
            <DataList.ItemLabel>{t('account.fields.inMarket')}</DataList.ItemLabel>
            <DataList.ItemValue>
              {account.inMarket
                ? account.marketVersion != null
                  ? t('account.tierWhy.inMarketVersion', { version: account.marketVersion })
                  : t('account.inMarketYes')
                : t('account.inMarketNo')}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('account.fields.potentialScore')}</DataList.ItemLabel>
            <DataList.ItemValue>{potentialScore(account) ?? t('account.tierWhy.noScore')}</DataList.ItemValue>
          </DataList.Item>
          {basis?.rank != null && (
            <DataList.Item>
              <DataList.ItemLabel>{t('account.tierWhy.rank')}</DataList.ItemLabel>
              <DataList.ItemValue>
                {t('account.tierWhy.rankValue', {
                  rank: format.number(basis.rank),
                  total: format.number(basis.inMarket),
                  percent: topPercent(basis.rank, basis.inMarket),
                })}
              </DataList.ItemValue>
            </DataList.Item>
          )}
          {basis && account.inMarket && (
            <DataList.Item>
              <DataList.ItemLabel>{t('account.tierWhy.rule')}</DataList.ItemLabel>
              <DataList.ItemValue>
                {basis.cut.method === 'rank'
                  ? t('account.tierWhy.ruleRank', {
                      a: basis.cut.aPercent,
                      b: basis.cut.bPercent,
                    })
                  : t('account.tierWhy.ruleThresholds', {
                      a: format.money(basis.cut.aMinScore),
                      b: format.money(basis.cut.bMinScore),
                    })}
              </DataList.ItemValue>
            </DataList.Item>
          )}
        </DataList>

        {override && (
          <Stack gap={4} className="quote" data-testid="tier-override">
            <Text fz="sm" fw={600}>
              {t('account.tierWhy.overrideTo', { tier: override.tier })}
            </Text>
            {override.reason && (
              <Text fz="sm" className="timeline-note">
                {override.reason}
              </Text>
            )}
            <Text fz="xs" c="dimmed">
              {t('account.tierWhy.overrideBy', {
                name: override.by?.name ?? t('account.tierWhy.someone'),
                date: override.at ? format.date(override.at) : '—',
              })}
            </Text>
          </Stack>
        )}
      </Stack>

      <Modal
        opened={editing}
        onClose={() => setEditing(false)}
        fullScreen={isPhone}
        title={
          <Text component="span" fw={700} fz="lg">
            {t('account.tierOverride.title')}
          </Text>
        }
        closeButtonProps={{ 'aria-label': t('logForm.close') }}
      >
        <OverrideForm account={account} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
      </Modal>
    </SectionCard>
  );
}
