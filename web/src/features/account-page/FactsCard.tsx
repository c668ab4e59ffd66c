import { Anchor, Code, DataList, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccount } from '../../../../src/schemas/account.ts';
import type { TAccountProfile } from '../../api/account-page.ts';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { fullAddress } from './full-address.ts';
import { SectionCard } from './SectionCard.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children == null || children === '';
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>
        {empty ? (
          <Text span c="dimmed" fz="sm">
            {EMPTY_VALUE}
          </Text>
        ) : (
          children
        )}
      </DataList.ItemValue>
    </DataList.Item>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <Title order={3} fz="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
        {title}
      </Title>
      <DataList orientation="horizontal" labelWidth={112} gap={6} size="sm">
        {children}
      </DataList>
    </div>
  );
}

function websiteHref(website: string): string {
  return /^https?:\/\//i.test(website) ? website : `https://${website}`;
}

/** Firmographics, registration and contact details, and who owns the record. */
export function FactsCard({ account, profile }: { account: TAccount; profile: TAccountProfile | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const customFields = Object.entries(account.customFields);
  return (
    <SectionCard title={t('account.page.facts')} testId="facts">
      <Stack gap="md">
        <Group title={t('account.sections.firmographics')}>
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
        </Group>

        <Group title={t('account.sections.contact')}>
          <Field label={t('account.fields.phone')}>
            {account.phone && (
              <Anchor href={`tel:${account.phone.replace(/[^\d+]/g, '')}`} fz="sm">
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
          <Field label={t('account.fields.website')}>
            {account.website && (
              <Anchor href={websiteHref(account.website)} target="_blank" rel="noopener noreferrer" fz="sm">
                {account.website}
              </Anchor>
            )}
          </Field>
          <Field label={t('account.fields.address')}>{fullAddress(account)}</Field>
          <Field label={t('account.fields.uscc')}>{account.uscc && <Code>{account.uscc}</Code>}</Field>
          {account.registrationId && (
            <Field label={t('account.fields.registrationId')}>{account.registrationId}</Field>
          )}
        </Group>

        {customFields.length > 0 && (
          <Group title={t('account.sections.customFields')}>
            {customFields.map(([key, value]) => (
              <Field key={key} label={key}>
                {value}
              </Field>
            ))}
          </Group>
        )}

        <Group title={t('account.sections.record')}>
          <Field label={t('account.fields.owner')}>
            {profile?.owner?.name ?? (account.ownerId ? null : t('account.unassigned'))}
          </Field>
          <Field label={t('account.fields.createdAt')}>{format.dateTime(account.createdAt)}</Field>
          <Field label={t('account.fields.updatedAt')}>{format.dateTime(account.updatedAt)}</Field>
        </Group>
      </Stack>
    </SectionCard>
  );
}
