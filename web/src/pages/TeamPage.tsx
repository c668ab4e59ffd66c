import { Alert, Button, Group, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import {
  type TPersonOverview,
  usePeopleOverview,
  useSetDisabled,
  useTeams,
  useTerritories,
} from '../api/people.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { toneAlert } from '../features/plan/tone.ts';
import { ConfirmModal } from '../features/team/ConfirmModal.tsx';
import { DaysOffModal } from '../features/team/DaysOffModal.tsx';
import { HandOverModal } from '../features/team/HandOverModal.tsx';
import { type PersonAction, PersonCard } from '../features/team/PersonCard.tsx';
import { PersonFormModal } from '../features/team/PersonFormModal.tsx';
import { canAddPeople, peopleHintKey, sortPeople, type Viewer } from '../features/team/people-view.ts';
import { TeamSection } from '../features/team/TeamSection.tsx';
import { TeamsSection } from '../features/team/TeamsSection.tsx';
import { TerritoriesSection } from '../features/team/TerritoriesSection.tsx';

type Open = { action: PersonAction | 'add'; person: TPersonOverview | null } | null;

/**
 * The Team page: the people of the team (admins: everyone) with role, territory, accounts, capacity, plan
 * and days off; adding and disabling people, teams and their managers, territories, and handing a leaving
 * rep's accounts and plan to someone else. Reps see their team read-only, with their own numbers.
 */
export function TeamPage() {
  const { t } = useTranslation();
  const auth = useAuthStatus();
  const user = auth.data?.user;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1} fz="h2">
            {t('people.title')}
          </Title>
          <Text c="dimmed" fz="sm" mt={4} maw={720}>
            {user?.role === 'rep' ? t('people.repIntro') : t('people.intro')}
          </Text>
        </div>
        <Button
          component={Link}
          to="/team/skills"
          variant="light"
          leftSection={<Icon name="practice" size={18} />}
          data-testid="team-skills-link"
        >
          {t('skills.team.link')}
        </Button>
      </Group>
      {user ? <TeamContent viewer={user} /> : <PageLoader minHeight={240} />}
    </Stack>
  );
}

function TeamContent({ viewer }: { viewer: Viewer }) {
  const { t } = useTranslation();
  const overview = usePeopleOverview();
  const teams = useTeams();
  const territories = useTerritories();
  const setDisabled = useSetDisabled();
  const [open, setOpen] = useState<Open>(null);
  const [search, setSearch] = useState('');
  const [showDisabled, setShowDisabled] = useState(false);

  const failed = overview.error ?? teams.error ?? territories.error;
  if (failed && !(overview.data && teams.data && territories.data)) {
    return (
      <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert" title={t('people.loadFailed')}>
        <Stack gap="xs" align="flex-start">
          <Text fz="sm">{failed.message}</Text>
          <Button
            variant="light"
            size="xs"
            onClick={() => void Promise.all([overview.refetch(), teams.refetch(), territories.refetch()])}
          >
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (!overview.data || !teams.data || !territories.data) return <PageLoader label={t('people.loading')} />;

  const everyone = sortPeople(overview.data.items);
  const query = search.trim().toLowerCase();
  const disabledCount = everyone.filter((p) => p.disabledAt !== null).length;
  const shown = everyone.filter(
    (p) =>
      (showDisabled || p.disabledAt === null) &&
      (!query || p.name.toLowerCase().includes(query) || p.email.includes(query)),
  );
  const close = () => setOpen(null);
  const person = open?.person ?? null;
  const act = (action: PersonAction, who: TPersonOverview) => {
    setDisabled.reset();
    setOpen({ action, person: who });
  };

  return (
    <>
      <TeamSection
        id="people"
        title={t('people.people.title')}
        description={t(peopleHintKey(viewer))}
        actions={
          canAddPeople(viewer) && (
            <Button
              leftSection={<Icon name="team" size={18} />}
              onClick={() => setOpen({ action: 'add', person: null })}
            >
              {t('people.add')}
            </Button>
          )
        }
      >
        <Group gap="md" align="flex-end">
          <TextInput
            label={t('people.search')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            leftSection={<Icon name="search" size={16} />}
            w={{ base: '100%', xs: 280 }}
          />
          {disabledCount > 0 && (
            <Switch
              label={t('people.showDisabled', { count: disabledCount })}
              checked={showDisabled}
              onChange={(e) => setShowDisabled(e.currentTarget.checked)}
              mb={8}
            />
          )}
        </Group>
        {shown.length === 0 ? (
          <Text fz="sm" c="dimmed">
            {t('people.nobody')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="sm">
            {shown.map((p) => (
              <PersonCard key={p.id} person={p} viewer={viewer} onAction={act} />
            ))}
          </SimpleGrid>
        )}
      </TeamSection>

      <TerritoriesSection territories={territories.data} people={everyone} viewer={viewer} />
      <TeamsSection teams={teams.data} people={everyone} viewer={viewer} />

      <PersonFormModal
        opened={open?.action === 'add' || open?.action === 'edit'}
        person={open?.action === 'edit' ? person : null}
        viewer={viewer}
        teams={teams.data}
        onClose={close}
      />
      <DaysOffModal person={open?.action === 'daysOff' ? person : null} onClose={close} />
      <HandOverModal from={open?.action === 'handOver' ? person : null} people={everyone} onClose={close} />
      <ConfirmModal
        opened={open?.action === 'disable' || open?.action === 'enable'}
        title={
          open?.action === 'enable'
            ? t('people.enableTitle', { name: person?.name ?? '' })
            : t('people.disable.title', { name: person?.name ?? '' })
        }
        confirmLabel={open?.action === 'enable' ? t('people.enable') : t('people.disable.confirm')}
        danger={open?.action === 'disable'}
        pending={setDisabled.isPending}
        error={setDisabled.error}
        onClose={close}
        onConfirm={() =>
          person &&
          setDisabled.mutate({ id: person.id, disabled: open?.action === 'disable' }, { onSuccess: close })
        }
      >
        {open?.action === 'enable' ? (
          t('people.enableBody')
        ) : (
          <>
            <p style={{ margin: 0 }}>{t('people.disable.body')}</p>
            {(person?.work?.accountCount ?? 0) > 0 && (
              <p style={{ marginBottom: 0 }}>
                {t('people.disable.stillOwns', { count: person?.work?.accountCount ?? 0 })}
              </p>
            )}
          </>
        )}
      </ConfirmModal>
    </>
  );
}
