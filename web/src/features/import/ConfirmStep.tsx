import { Paper, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuthStatus } from '../../api/auth.ts';
import type { TImportPreview } from '../../api/imports.ts';
import { usePlanReps } from '../../api/plan.ts';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { INTL_LOCALE } from '../../i18n/languages.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { choosesOwner, OWNER_NONE, ownerOptions } from './owner-choice.ts';
import type { SourceDraft } from './SourceStep.tsx';
import { formatBytes } from './wizard.ts';

interface Props {
  fileName: string;
  preview: TImportPreview | undefined;
  source: SourceDraft;
  newerSourceWins: boolean;
  onNewerSourceWins: (value: boolean) => void;
  /** Who owns the accounts the import creates (owner-choice.ts): a user id or OWNER_NONE; null until known. */
  owner: string | null;
  onOwner: (value: string) => void;
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text fz="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** Step 4: what will be imported, from where, and how a match with an existing account is merged. */
export function ConfirmStep({
  fileName,
  preview,
  source,
  newerSourceWins,
  onNewerSourceWins,
  owner,
  onOwner,
}: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const columns = preview?.mapping.filter((column) => !column.ignored) ?? [];
  const mapped = columns.filter((column) => column.field != null).length;
  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="md" bg="gray.0">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md">
          <Fact label={t('import.confirm.file')} value={fileName} testId="confirm-file" />
          <Fact
            label={t('import.confirm.size')}
            value={preview ? formatBytes(preview.detected.fileSize, INTL_LOCALE[format.language]) : '—'}
          />
          <Fact
            label={t('import.confirm.columns')}
            value={t('import.mapping.summary', { mapped, custom: columns.length - mapped })}
          />
          <Fact label={t('import.confirm.source')} value={source.name} testId="confirm-source" />
          <Fact label={t('import.confirm.kind')} value={t(`import.source.kinds.${source.kind}`)} />
          {/* Not entered: unknown ("—"), as the Sources table shows it; a free list costs nothing. */}
          <Fact
            label={t('import.confirm.cost')}
            value={format.money(source.cost ?? (source.kind === 'free' ? 0 : null))}
          />
          <Fact label={t('import.confirm.acquiredOn')} value={format.date(source.acquiredOn || null)} />
          <Fact
            label={t('import.confirm.cleaningHours')}
            value={
              source.cleaningHours == null
                ? EMPTY_VALUE
                : t('import.confirm.hours', { count: source.cleaningHours })
            }
          />
        </SimpleGrid>
      </Paper>

      <OwnerField owner={owner} onOwner={onOwner} />

      <Stack gap={6}>
        <Text fz="sm" fw={600}>
          {t('import.confirm.dedupeTitle')}
        </Text>
        <Text fz="sm" c="dimmed">
          {t('import.confirm.dedupe')}
        </Text>
      </Stack>

      <Switch
        checked={newerSourceWins}
        onChange={(event) => onNewerSourceWins(event.currentTarget.checked)}
        label={t('import.confirm.newerSourceWins')}
        description={
          newerSourceWins ? t('import.confirm.newerSourceWinsOn') : t('import.confirm.newerSourceWinsOff')
        }
        size="md"
        data-testid="newer-source-wins"
      />
    </Stack>
  );
}

/**
 * Who owns the accounts the import creates: a rep is told they are theirs; a manager picks themselves (the
 * default) or someone of the team; an admin nobody (the default) or anyone. Accounts the file matches keep theirs.
 */
function OwnerField({ owner, onOwner }: { owner: string | null; onOwner: (value: string) => void }) {
  const { t } = useTranslation();
  const user = useAuthStatus().data?.user ?? null;
  const importer = user ? { id: user.id, role: user.role } : null;
  const people = usePlanReps();
  if (!user || !importer) return null;
  if (!choosesOwner(importer)) {
    return (
      <Stack gap={4}>
        <Text fz="sm" fw={600}>
          {t('import.confirm.owner')}
        </Text>
        <Text fz="sm" data-testid="confirm-owner">
          {t('import.confirm.ownerYours')}
        </Text>
        <Text fz="sm" c="dimmed">
          {t('import.confirm.ownerHelp')}
        </Text>
      </Stack>
    );
  }
  const data = ownerOptions(
    importer,
    people.data ?? [],
    { me: (name) => t('import.confirm.ownerMe', { name }), none: t('import.confirm.ownerNone') },
    user.name,
  );
  return (
    <Select
      label={t('import.confirm.owner')}
      description={
        owner === OWNER_NONE
          ? t('import.confirm.ownerNoneHelp')
          : importer.role === 'manager'
            ? t('import.confirm.ownerManagerHelp')
            : t('import.confirm.ownerHelp')
      }
      data={data}
      value={owner}
      onChange={(value) => {
        if (value) onOwner(value);
      }}
      allowDeselect={false}
      searchable
      maw={640}
      comboboxProps={{ withinPortal: true }}
      nothingFoundMessage={t('accounts.filters.nothingFound')}
      data-testid="import-owner"
    />
  );
}
