import { Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { conflictCurrent } from '../../api/conflict.ts';
import { type TPersonOverview, type TTeam, useCreateTeam, useUpdateTeam } from '../../api/people.ts';
import { Icon } from '../../components/icons.tsx';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { FormFooter } from './FormFooter.tsx';
import { canManageTeams, errorField, type Viewer } from './people-view.ts';
import { TeamSection } from './TeamSection.tsx';

/** Teams and their managers; admins add teams and choose managers. */
export function TeamsSection({
  teams,
  people,
  viewer,
}: {
  teams: TTeam[];
  people: TPersonOverview[];
  viewer: Viewer;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<TTeam | 'new' | null>(null);
  const admin = canManageTeams(viewer);
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.name ?? null;
  return (
    <TeamSection
      id="teams"
      title={t('people.teams.title')}
      description={admin ? t('people.teams.adminHint') : t('people.teams.hint')}
      actions={
        admin && (
          <Button leftSection={<Icon name="team" size={18} />} onClick={() => setEditing('new')}>
            {t('people.teams.add')}
          </Button>
        )
      }
    >
      {teams.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('people.teams.none')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          {teams.map((team) => (
            <Paper key={team.id} withBorder radius="md" p="sm" data-testid="team-card">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div>
                  <Text fw={700}>{team.name}</Text>
                  <Text fz="sm">
                    {t('people.teams.managerIs', {
                      name: nameOf(team.managerId) ?? t('people.teams.noManager'),
                    })}
                  </Text>
                  <Text fz="sm" c="dimmed">
                    {t('people.teams.members', { count: team.memberCount })}
                  </Text>
                </div>
                {admin && (
                  <Button
                    variant="subtle"
                    size="xs"
                    onClick={() => setEditing(team)}
                    aria-label={t('people.teams.editLabel', { name: team.name })}
                  >
                    {t('people.edit')}
                  </Button>
                )}
              </Group>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('people.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('people.teams.add') : t('people.teams.editTitle')}
      >
        {editing !== null && (
          <TeamForm
            team={editing === 'new' ? null : editing}
            people={people}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </TeamSection>
  );
}

function TeamForm({
  team,
  people,
  onDone,
}: {
  team: TTeam | null;
  people: TPersonOverview[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const mutation = team ? update : create;
  const [name, setName] = useState(team?.name ?? '');
  const [managerId, setManagerId] = useState<string | null>(team?.managerId ?? null);
  const [submitted, setSubmitted] = useState(false);
  // The version this edit is made on: the team as opened, or as someone else saved it meanwhile (409).
  const [base, setBase] = useState(team);
  const [conflict, setConflict] = useState(false);
  const managers = people.filter((p) => p.role !== 'rep' && p.disabledAt === null);
  const nameError = submitted && !name.trim() ? t('people.form.nameRequired') : undefined;
  const field = errorField(mutation.error);

  const save = () => {
    setSubmitted(true);
    if (!name.trim()) return;
    setConflict(false);
    if (base)
      update.mutate(
        { id: base.id, patch: { name: name.trim(), managerId, version: base.version } },
        {
          onSuccess: onDone,
          onError: (error) => {
            const current = conflictCurrent<TTeam>(error);
            if (current) {
              setBase(current);
              setConflict(true);
            }
          },
        },
      );
    else create.mutate({ name: name.trim(), managerId }, { onSuccess: onDone });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save();
  };
  const managerName = (id: string | null) =>
    people.find((p) => p.id === id)?.name ?? t('people.teams.noManager');
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('people.teams.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={nameError ?? (field === 'name' ? mutation.error?.message : undefined)}
          required
          data-autofocus
        />
        <Select
          label={t('people.teams.manager')}
          description={t('people.teams.managerHint')}
          data={managers.map((p) => ({ value: p.id, label: `${p.name} · ${t(`auth.roles.${p.role}`)}` }))}
          value={managerId}
          onChange={setManagerId}
          clearable
          searchable
          placeholder={t('people.teams.noManager')}
          error={field === 'managerId' ? mutation.error?.message : undefined}
          comboboxProps={{ withinPortal: true }}
        />
        {conflict && base && (
          <VersionConflictAlert
            record="team"
            onRetry={save}
            onDiscard={() => {
              setName(base.name);
              setManagerId(base.managerId);
              setConflict(false);
              update.reset();
            }}
            retrying={update.isPending}
          >
            <Text fz="sm" data-testid="conflict-current">
              {base.name} · {managerName(base.managerId)}
            </Text>
          </VersionConflictAlert>
        )}
        <FormFooter
          error={!conflict && field !== 'name' && field !== 'managerId' && mutation.error}
          onCancel={onDone}
        >
          <Button type="submit" loading={mutation.isPending}>
            {team ? t('people.form.save') : t('people.teams.add')}
          </Button>
        </FormFooter>
      </Stack>
    </form>
  );
}
