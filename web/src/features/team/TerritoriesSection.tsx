import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccountFacets } from '../../api/accounts.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import {
  type SavedTerritory,
  type TPersonOverview,
  type TTerritory,
  useDeleteTerritory,
  useSaveTerritory,
} from '../../api/people.ts';
import { Icon } from '../../components/icons.tsx';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { AccountPicker } from './AccountPicker.tsx';
import { ConfirmModal } from './ConfirmModal.tsx';
import { FormFooter } from './FormFooter.tsx';
import { canManageTerritories, errorField, type Viewer } from './people-view.ts';
import { TeamSection } from './TeamSection.tsx';

function Places({ label, values }: { label: string; values: string[] }) {
  if (values.length === 0) return null;
  return (
    <Group gap={4} align="baseline">
      <Text fz="xs" c="dimmed" mr={4}>
        {label}
      </Text>
      {values.map((value) => (
        <Badge key={value} variant="outline" color="gray.8" radius="sm" tt="none" fw={500}>
          {value}
        </Badge>
      ))}
    </Group>
  );
}

/** Territories: places (provinces, cities, districts) or listed accounts, each with its rep. */
export function TerritoriesSection({
  territories,
  people,
  viewer,
}: {
  territories: TTerritory[];
  people: TPersonOverview[];
  viewer: Viewer;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<TTerritory | 'new' | null>(null);
  const [deleting, setDeleting] = useState<TTerritory | null>(null);
  const [saved, setSaved] = useState<SavedTerritory | null>(null);
  const remove = useDeleteTerritory();
  const manage = canManageTerritories(viewer);
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.name ?? null;

  return (
    <TeamSection
      id="territories"
      title={t('people.territories.title')}
      description={manage ? t('people.territories.hint') : t('people.territories.repHint')}
      actions={
        manage && (
          <Button leftSection={<Icon name="market" size={18} />} onClick={() => setEditing('new')}>
            {t('people.territories.add')}
          </Button>
        )
      }
    >
      {saved && (
        <Alert
          {...toneAlert('teal')}
          icon={<Icon name="check" />}
          role="status"
          withCloseButton
          closeButtonLabel={t('people.close')}
          onClose={() => setSaved(null)}
          title={t('people.territories.saved', { name: saved.name })}
        >
          {t('people.territories.claimed', { count: saved.claimedAccounts })}
        </Alert>
      )}
      {territories.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('people.territories.none')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {territories.map((territory) => (
            <Paper
              key={territory.id}
              withBorder
              radius="md"
              p="sm"
              component="article"
              aria-label={territory.name}
              data-testid="territory-card"
            >
              <Stack gap={6}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <Text fw={700}>{territory.name}</Text>
                    <Text fz="sm">
                      {t('people.territories.repIs', {
                        name: nameOf(territory.repId) ?? t('people.territories.noRep'),
                      })}
                    </Text>
                  </div>
                  {manage && (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        variant="subtle"
                        size="xs"
                        onClick={() => setEditing(territory)}
                        aria-label={t('people.territories.editLabel', { name: territory.name })}
                      >
                        {t('people.edit')}
                      </Button>
                      <Button
                        variant="subtle"
                        color="red"
                        c={STRONG_TEXT.red}
                        size="xs"
                        onClick={() => setDeleting(territory)}
                        aria-label={t('people.territories.deleteLabel', { name: territory.name })}
                      >
                        {t('people.territories.delete')}
                      </Button>
                    </Group>
                  )}
                </Group>
                <Places label={t('people.territories.provinces')} values={territory.provinces} />
                <Places label={t('people.territories.cities')} values={territory.cities} />
                <Places label={t('people.territories.districts')} values={territory.districts} />
                <Text fz="sm">
                  {t('people.territories.accountCount', { count: territory.accountCount })}
                  {territory.accountIds.length > 0 &&
                    ` · ${t('people.territories.listed', { count: territory.accountIds.length })}`}
                </Text>
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('people.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('people.territories.add') : t('people.territories.editTitle')}
        size="lg"
      >
        {editing !== null && (
          <TerritoryForm
            territory={editing === 'new' ? null : editing}
            people={people}
            onDone={(result) => {
              setEditing(null);
              if (result) setSaved(result);
            }}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('people.territories.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('people.territories.delete')}
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            { id: deleting.id, version: deleting.version },
            {
              onSuccess: () => setDeleting(null),
              // Changed by someone else since it was read: the dialog shows it as it is now, with the refusal, and
              // confirming again deletes that.
              onError: (error) => {
                const current = conflictCurrent<TTerritory>(error);
                if (current) setDeleting(current);
              },
            },
          )
        }
      >
        {t('people.territories.deleteBody', { count: deleting?.accountCount ?? 0 })}
      </ConfirmModal>
    </TeamSection>
  );
}

function TerritoryForm({
  territory,
  people,
  onDone,
}: {
  territory: TTerritory | null;
  people: TPersonOverview[];
  onDone: (saved: SavedTerritory | null) => void;
}) {
  const { t } = useTranslation();
  const facets = useAccountFacets();
  const save = useSaveTerritory();
  const [name, setName] = useState(territory?.name ?? '');
  const [repId, setRepId] = useState<string | null>(territory?.repId ?? null);
  const [provinces, setProvinces] = useState(territory?.provinces ?? []);
  const [cities, setCities] = useState(territory?.cities ?? []);
  const [districts, setDistricts] = useState(territory?.districts ?? []);
  const [accountIds, setAccountIds] = useState(territory?.accountIds ?? []);
  const [submitted, setSubmitted] = useState(false);
  // The version this edit is made on: the territory as opened, or as someone else saved it meanwhile (409).
  const [base, setBase] = useState(territory);
  const [conflict, setConflict] = useState(false);
  const reps = people.filter(
    (p) => p.role !== 'admin' && (p.disabledAt === null || p.id === territory?.repId),
  );
  const field = errorField(save.error);
  const fieldError = (name: string) => (field === name ? save.error?.message : undefined);
  const nameError = submitted && !name.trim() ? t('people.form.nameRequired') : undefined;
  const empty = provinces.length + cities.length + districts.length + accountIds.length === 0;

  const send = () => {
    setSubmitted(true);
    if (!name.trim()) return;
    setConflict(false);
    const body = { name: name.trim(), repId, provinces, cities, districts, accountIds };
    save.mutate(base ? { id: base.id, body: { ...body, version: base.version } } : { id: null, body }, {
      onSuccess: (result) => onDone(result),
      onError: (error) => {
        const current = conflictCurrent<TTerritory>(error);
        if (current) {
          setBase(current);
          setConflict(true);
        }
      },
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const takeCurrent = (current: TTerritory) => {
    setName(current.name);
    setRepId(current.repId);
    setProvinces(current.provinces);
    setCities(current.cities);
    setDistricts(current.districts);
    setAccountIds(current.accountIds);
    setConflict(false);
    save.reset();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('people.territories.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError ?? fieldError('name')}
            required
            data-autofocus
          />
          <Select
            label={t('people.territories.rep')}
            data={reps.map((p) => ({ value: p.id, label: `${p.name} · ${t(`auth.roles.${p.role}`)}` }))}
            value={repId}
            onChange={setRepId}
            searchable
            clearable
            placeholder={t('people.territories.noRep')}
            error={fieldError('repId')}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <TagsInput
          label={t('people.territories.provinces')}
          description={t('people.territories.tagsHint')}
          data={(facets.data?.provinces ?? []).map((p) => p.value)}
          value={provinces}
          onChange={setProvinces}
          clearable
          error={fieldError('provinces')}
          comboboxProps={{ withinPortal: true }}
        />
        <TagsInput
          label={t('people.territories.cities')}
          description={t('people.territories.tagsHint')}
          data={[...new Set((facets.data?.cities ?? []).map((c) => c.value))]}
          value={cities}
          onChange={setCities}
          clearable
          limit={50}
          error={fieldError('cities')}
          comboboxProps={{ withinPortal: true }}
        />
        <TagsInput
          label={t('people.territories.districts')}
          description={t('people.territories.districtsHint')}
          value={districts}
          onChange={setDistricts}
          clearable
          error={fieldError('districts')}
        />
        <AccountPicker
          label={t('people.territories.accounts')}
          description={t('people.territories.accountsHint')}
          value={accountIds}
          onChange={setAccountIds}
          error={fieldError('accountIds')}
        />
        {empty && (
          <Text fz="sm" c="dimmed">
            {t('people.territories.emptyHint')}
          </Text>
        )}
        {conflict && base && (
          <VersionConflictAlert
            record="territory"
            onRetry={send}
            onDiscard={() => takeCurrent(base)}
            retrying={save.isPending}
          >
            <Stack gap={4} data-testid="conflict-current">
              <Text fz="sm" fw={600}>
                {base.name} · {people.find((p) => p.id === base.repId)?.name ?? t('people.territories.noRep')}
              </Text>
              <Places label={t('people.territories.provinces')} values={base.provinces} />
              <Places label={t('people.territories.cities')} values={base.cities} />
              <Places label={t('people.territories.districts')} values={base.districts} />
            </Stack>
          </VersionConflictAlert>
        )}
        <FormFooter
          error={
            !conflict &&
            !['name', 'repId', 'provinces', 'cities', 'districts', 'accountIds'].includes(field ?? '') &&
            save.error
          }
          onCancel={() => onDone(null)}
        >
          <Button type="submit" loading={save.isPending}>
            {territory ? t('people.form.save') : t('people.territories.add')}
          </Button>
        </FormFooter>
      </Stack>
    </form>
  );
}
