import { Alert, Box, Button, Grid, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { Icon } from '../components/icons.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useCanChangeWorkspaceRules } from '../features/auth/workspace-rules.ts';
import { toneAlert } from '../features/plan/tone.ts';
import { ApiTokenSettings } from '../features/settings/ApiTokenSettings.tsx';
import { CadenceSettings } from '../features/settings/CadenceSettings.tsx';
import { CalendarFeedSettings } from '../features/settings/CalendarFeedSettings.tsx';
import { PlanDefaultsSettings } from '../features/settings/PlanDefaultsSettings.tsx';
import { SettingsSection } from '../features/settings/SettingsSection.tsx';
import { TieringSettings } from '../features/settings/TieringSettings.tsx';
import { WorkingCalendarSettings } from '../features/settings/WorkingCalendarSettings.tsx';

/** Sections in page order; the table of contents and `/settings#id` links use the ids. */
const SECTIONS = [
  'cadence',
  'capacity',
  'calendar',
  'tiering',
  'feeds',
  'tokens',
  'language',
  'people',
] as const;
type SectionId = (typeof SECTIONS)[number];

function LanguageSection() {
  const { t } = useTranslation();
  // Saved with the signed-in user (and in this browser): it follows them to every device.
  return (
    <SettingsSection
      id="language"
      title={t('settings.language.title')}
      description={t('settings.language.description')}
    >
      <Group>
        <LanguageSwitch />
      </Group>
    </SettingsSection>
  );
}

function PeopleSection() {
  const { t } = useTranslation();
  // Users, teams and territories: the team work fills this section (or links to the Team page from it).
  return (
    <SettingsSection
      id="people"
      title={t('settings.people.title')}
      description={t('settings.people.description')}
    >
      <Group>
        <Button component={Link} to="/team" variant="light" leftSection={<Icon name="team" size={18} />}>
          {t('settings.people.toTeam')}
        </Button>
      </Group>
    </SettingsSection>
  );
}

// The workspace's rules (cadence, capacity, working days, tiering) only read for a rep; their own calendar
// feed, API tokens and language stay theirs to change.
const CONTENT: Record<SectionId, (readOnly: boolean) => ReactNode> = {
  cadence: (readOnly) => <CadenceSettings readOnly={readOnly} />,
  capacity: (readOnly) => <PlanDefaultsSettings readOnly={readOnly} />,
  calendar: (readOnly) => <WorkingCalendarSettings readOnly={readOnly} />,
  tiering: (readOnly) => <TieringSettings readOnly={readOnly} />,
  feeds: () => <CalendarFeedSettings />,
  tokens: () => <ApiTokenSettings />,
  language: () => <LanguageSection />,
  people: () => <PeopleSection />,
};

/**
 * Workspace settings: how often each tier is contacted, capacity, working days, tiering, calendar feeds, API tokens.
 * Managers and admins change the workspace's rules; a rep reads them.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const { hash } = useLocation();
  const readOnly = !useCanChangeWorkspaceRules();
  // A link such as /settings#cadence (from the Plan page) lands on its section.
  useEffect(() => {
    if (hash) document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView();
  }, [hash]);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} fz="h2">
          {t('settings.title')}
        </Title>
        <Text c="dimmed" fz="sm" mt={4} maw={720}>
          {t('settings.intro')}
        </Text>
      </div>
      {readOnly && (
        <Alert
          {...toneAlert('indigo')}
          icon={<Icon name="info" />}
          title={t('settings.readOnly.title')}
          data-testid="settings-read-only"
        >
          {t('settings.readOnly.body')}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 3 }} visibleFrom="md">
          <Box component="nav" aria-label={t('settings.contents')} pos="sticky" top={76}>
            {SECTIONS.map((id) => (
              <NavLink
                key={id}
                href={`#${id}`}
                label={t(`settings.nav.${id}`)}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
              />
            ))}
          </Box>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="lg">
            {SECTIONS.map((id) => (
              <Box key={id}>{CONTENT[id](readOnly)}</Box>
            ))}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
