import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  DataList,
  Drawer,
  Group,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TAccount } from '../../../../src/schemas/account.ts';
import { useAccount } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';
import { Icon } from '../../components/icons.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { usePotentialScore } from '../account-page/use-potential-score.ts';

interface Props {
  id: string | null;
  /** The row already on screen, shown while the full record loads. */
  initial?: TAccount;
  onClose: () => void;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <Title order={3} fz="sm" fw={700} c="dimmed" tt="uppercase" mb="xs">
        {title}
      </Title>
      <DataList orientation="horizontal" labelWidth={148} gap="xs" size="sm">
        {children}
      </DataList>
    </section>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children == null || children === '';
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>
        {empty ? (
          <Text span c="dimmed">
            {EMPTY_VALUE}
          </Text>
        ) : (
          children
        )}
      </DataList.ItemValue>
    </DataList.Item>
  );
}

function websiteHref(website: string): string {
  return /^https?:\/\//i.test(website) ? website : `https://${website}`;
}

function AccountDetails({ account }: { account: TAccount }) {
  const potentialScore = usePotentialScore();
  const { t } = useTranslation();
  const format = useFormat();
  const customFields = Object.entries(account.customFields);
  return (
    <Stack gap="lg">
      <Group gap="xs">
        <TierBadge tier={account.tier} withName />
        <Badge variant="light" color="gray" c="gray.8" tt="none" radius="sm">
          {t(`stage.${account.stage}`)}
        </Badge>
        <Badge
          variant="light"
          color={account.inMarket ? 'teal' : 'gray'}
          c={account.inMarket ? STRONG_TEXT.teal : 'gray.8'}
          tt="none"
          radius="sm"
        >
          {account.inMarket ? t('account.inMarketYes') : t('account.inMarketNo')}
        </Badge>
      </Group>

      <Section title={t('account.sections.firmographics')}>
        <Field label={t('account.fields.industry')}>{account.industry}</Field>
        <Field label={t('account.fields.annualSales')}>
          {account.annualSales == null ? null : format.money(account.annualSales)}
        </Field>
        <Field label={t('account.fields.employees')}>
          {format.employees(account.employeesMin, account.employeesMax)}
        </Field>
        <Field label={t('account.fields.netAssets')}>
          {account.netAssets == null ? null : format.money(account.netAssets)}
        </Field>
        <Field label={t('account.fields.registeredCapital')}>
          {account.registeredCapital == null ? null : format.money(account.registeredCapital)}
        </Field>
      </Section>

      <Section title={t('account.sections.tiering')}>
        <Field label={t('account.fields.tier')}>
          <TierBadge tier={account.tier} withName />
        </Field>
        <Field label={t('account.fields.tierOverride')}>
          {account.tierOverride ? `${account.tierOverride} · ${t('account.overridden')}` : null}
        </Field>
        {account.tierOverrideReason && (
          <Field label={t('account.fields.tierOverrideReason')}>{account.tierOverrideReason}</Field>
        )}
        <Field label={t('account.fields.potentialScore')}>{potentialScore(account)}</Field>
        <Field label={t('account.fields.inMarket')}>
          {account.inMarket ? t('account.inMarketYes') : t('account.inMarketNo')}
        </Field>
        <Field label={t('account.fields.marketVersion')}>
          {account.marketVersion == null
            ? null
            : t('account.marketVersion', { version: account.marketVersion })}
        </Field>
        <Field label={t('account.fields.stage')}>{t(`stage.${account.stage}`)}</Field>
      </Section>

      <Section title={t('account.sections.contact')}>
        <Field label={t('account.fields.uscc')}>{account.uscc && <Code>{account.uscc}</Code>}</Field>
        {account.registrationId && (
          <Field label={t('account.fields.registrationId')}>{account.registrationId}</Field>
        )}
        <Field label={t('account.fields.website')}>
          {account.website && (
            <Anchor href={websiteHref(account.website)} target="_blank" rel="noopener noreferrer" fz="sm">
              {account.website}
            </Anchor>
          )}
        </Field>
        <Field label={t('account.fields.phone')}>
          {account.phone && (
            <Anchor href={`tel:${account.phone.replace(/\s+/g, '')}`} fz="sm">
              {account.phone}
            </Anchor>
          )}
        </Field>
        <Field label={t('account.fields.email')}>
          {account.email && (
            <Anchor href={`mailto:${account.email}`} fz="sm">
              {account.email}
            </Anchor>
          )}
        </Field>
      </Section>

      <Section title={t('account.sections.location')}>
        <Field label={t('account.fields.province')}>{account.province}</Field>
        <Field label={t('account.fields.city')}>{account.city}</Field>
        <Field label={t('account.fields.district')}>{account.district}</Field>
        <Field label={t('account.fields.address')}>{account.address}</Field>
      </Section>

      <section>
        <Title order={3} fz="sm" fw={700} c="dimmed" tt="uppercase" mb="xs">
          {t('account.sections.customFields')}
        </Title>
        {customFields.length === 0 ? (
          <Text fz="sm" c="dimmed">
            {t('account.noCustomFields')}
          </Text>
        ) : (
          <DataList orientation="horizontal" labelWidth={148} gap="xs" size="sm">
            {customFields.map(([key, value]) => (
              <Field key={key} label={key}>
                {value}
              </Field>
            ))}
          </DataList>
        )}
      </section>

      <Section title={t('account.sections.record')}>
        <Field label={t('account.fields.owner')}>
          {account.ownerId ? <Code>{account.ownerId}</Code> : t('account.unassigned')}
        </Field>
        <Field label={t('account.fields.territory')}>
          {account.territoryId && <Code>{account.territoryId}</Code>}
        </Field>
        <Field label={t('account.fields.createdAt')}>{format.dateTime(account.createdAt)}</Field>
        <Field label={t('account.fields.updatedAt')}>{format.dateTime(account.updatedAt)}</Field>
        <Field label={t('account.fields.version')}>{format.number(account.version)}</Field>
      </Section>

      <Text fz="xs" c="dimmed">
        {t('account.readOnly')}
      </Text>
    </Stack>
  );
}

/** The account's details beside the list, read-only for now. */
export function AccountDrawer({ id, initial, onClose }: Props) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const query = useAccount(id, initial);
  const account = query.data;

  return (
    <Drawer
      opened={id != null}
      onClose={onClose}
      position="right"
      size={isPhone ? '100%' : 'lg'}
      padding="lg"
      title={
        <Text component="span" fw={700} fz="lg">
          {account?.name ?? t('app.loading')}
        </Text>
      }
      closeButtonProps={{ 'aria-label': t('account.close') }}
    >
      {query.isError ? (
        <Alert color="red" variant="light" icon={<Icon name="alert" />} title={t('account.loadFailed')}>
          {query.error instanceof ApiError && query.error.isNetworkError
            ? t('errors.network')
            : query.error.message}
        </Alert>
      ) : account ? (
        <Stack gap="lg">
          <Group gap="sm" grow>
            <Button
              component={Link}
              to={`/accounts/${encodeURIComponent(account.id)}?log=1`}
              leftSection={<Icon name="phone" size={18} />}
              data-testid="drawer-log-touch"
            >
              {t('account.page.logTouch')}
            </Button>
            <Button
              component={Link}
              to={`/accounts/${encodeURIComponent(account.id)}`}
              variant="light"
              leftSection={<Icon name="accounts" size={18} />}
              data-testid="open-account-page"
            >
              {t('account.openPage')}
            </Button>
          </Group>
          <AccountDetails account={account} />
        </Stack>
      ) : (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={24} w="60%" />
          <Skeleton h={160} />
          <Skeleton h={160} />
        </Stack>
      )}
    </Drawer>
  );
}
