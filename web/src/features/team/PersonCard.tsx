import { ActionIcon, Badge, Group, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TPersonOverview } from '../../api/people.ts';
import { Icon } from '../../components/icons.tsx';
import { keepValuesTogether } from '../../components/keep-together.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { holidayScheduleName } from '../settings/holiday-countries.ts';
import { canManagePerson, canSetDaysOff, showsPlanning, type Viewer } from './people-view.ts';

export type PersonAction = 'edit' | 'daysOff' | 'handOver' | 'disable' | 'enable';

const ROLE_COLOR = { admin: 'dark.6', manager: 'indigo.8', rep: 'teal.9' } as const;
const SHOWN_DAYS_OFF = 3;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap" align="baseline">
      <Text component="dt" fz="xs" c="dimmed" miw={88} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text component="dd" fz="sm" m={0}>
        {children}
      </Text>
    </Group>
  );
}

/** One person: role, team, territory, accounts, capacity, plan and days off, and what the viewer may do. */
export function PersonCard({
  person,
  viewer,
  onAction,
}: {
  person: TPersonOverview;
  viewer: Viewer;
  onAction: (action: PersonAction, person: TPersonOverview) => void;
}) {
  const { t, i18n } = useTranslation();
  const format = usePlanFormat();
  const manage = canManagePerson(viewer, person);
  // Capacity, plan and days off are a planned person's (a rep's): not shown, nor set, for a manager or an admin
  // without accounts of their own.
  const planned = showsPlanning(person);
  const daysOff = planned && canSetDaysOff(viewer, person);
  const disabled = person.disabledAt !== null;
  const work = person.work;
  const headingId = `person-${person.id}`;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-labelledby={headingId}
      data-testid="person-card"
      data-person={person.email}
      style={disabled ? { opacity: 0.85, borderStyle: 'dashed' } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Title order={3} fz="md" id={headingId}>
                {person.name}
              </Title>
              {person.id === viewer.id && (
                <Text component="span" fz="xs" c="dimmed">
                  {t('people.you')}
                </Text>
              )}
            </Group>
            <Text fz="xs" c="dimmed" truncate>
              {person.email}
            </Text>
          </div>
          {(manage || daysOff) && (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  aria-label={t('people.actionsFor', { name: person.name })}
                >
                  <Icon name="dots" />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {manage && <Menu.Item onClick={() => onAction('edit', person)}>{t('people.edit')}</Menu.Item>}
                {daysOff && !disabled && (
                  <Menu.Item onClick={() => onAction('daysOff', person)}>
                    {t('people.daysOff.action')}
                  </Menu.Item>
                )}
                {manage && (
                  <Menu.Item onClick={() => onAction('handOver', person)}>
                    {t('people.handOver.action')}
                  </Menu.Item>
                )}
                {manage && person.id !== viewer.id && (
                  <Menu.Item
                    c={disabled ? undefined : STRONG_TEXT.red}
                    onClick={() => onAction(disabled ? 'enable' : 'disable', person)}
                  >
                    {disabled ? t('people.enable') : t('people.disable.action')}
                  </Menu.Item>
                )}
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
        <Group gap={6}>
          <Badge variant="filled" color={ROLE_COLOR[person.role]} radius="sm">
            {t(`auth.roles.${person.role}`)}
          </Badge>
          {person.teamName && (
            <Badge variant="outline" color="gray.8" radius="sm" tt="none">
              {person.teamName}
            </Badge>
          )}
          {disabled && (
            <Badge variant="filled" color="red.9" radius="sm">
              {t('people.disabled')}
            </Badge>
          )}
        </Group>
        <Stack component="dl" gap={4} m={0}>
          <Fact label={t('people.territory')}>
            {person.territories.length > 0
              ? person.territories.map((territory) => territory.name).join('、')
              : work
                ? t('people.noTerritory')
                : '—'}
          </Fact>
          {planned && (
            <Fact label={t('people.capacity')}>
              {t('people.capacityValue', {
                calls: person.capacity.callsPerDay,
                visits: person.capacity.visitsPerDay,
              })}
              {person.capacity.fromWorkspace && (
                <Text component="span" fz="xs" c="dimmed">
                  {' '}
                  {t('people.workspaceDefault')}
                </Text>
              )}
            </Fact>
          )}
          {work && (
            <Fact label={t('people.accounts')}>
              <span data-testid="account-count">{format.number(work.accountCount)}</span>
            </Fact>
          )}
          {work && planned && (
            <>
              <Fact label={t('people.plan.label')}>
                {work.lastPlan
                  ? keepValuesTogether((parts) => t('people.plan.from', parts), {
                      date: format.day(work.lastPlan.startsOn),
                      duration: t('people.plan.duration', { count: work.lastPlan.months }),
                    })
                  : t('people.plan.none')}
                {work.lastPlan?.scope === 'workspace' && (
                  <Text component="span" fz="xs" c="dimmed" data-testid="plan-of-every-account">
                    {' '}
                    {t('people.plan.workspace')}
                  </Text>
                )}
                {' · '}
                {t('people.plan.ahead', { count: work.plannedAhead })}
                {work.overdue > 0 && (
                  <Text component="span" fz="sm" c={STRONG_TEXT.red} fw={600}>
                    {' · '}
                    {t('people.plan.overdue', { count: work.overdue })}
                  </Text>
                )}
              </Fact>
              <Fact label={t('people.daysOff.label')}>
                {work.daysOff.length === 0
                  ? t('people.daysOff.none')
                  : work.daysOff.slice(0, SHOWN_DAYS_OFF).map(format.day).join('、') +
                    (work.daysOff.length > SHOWN_DAYS_OFF
                      ? ` ${t('people.daysOff.more', { count: work.daysOff.length - SHOWN_DAYS_OFF })}`
                      : '')}
              </Fact>
              {work.holidays && (
                <Fact label={t('people.daysOff.holidays')}>
                  <span data-testid="person-holidays">
                    {holidayScheduleName(work.holidays, i18n.language, {
                      cn: t('settings.calendar.cn'),
                      none: t('settings.calendar.none'),
                    })}
                  </span>
                </Fact>
              )}
            </>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
