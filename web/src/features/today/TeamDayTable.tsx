import { Alert, Anchor, Button, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type TTeamDayRep, type TTeamDayStatus, useTeamDay } from '../../api/team-day.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';

/** Rows shown before "Show all": the reps furthest behind come first. */
const ROWS_SHOWN = 8;

const STATUS_COLOR: Record<TTeamDayStatus, string> = {
  not_started: STRONG_TEXT.red,
  under_way: STRONG_TEXT.orange,
  complete: STRONG_TEXT.teal,
  nothing_planned: 'dimmed',
  upcoming: 'dimmed',
};

/**
 * Each rep's day on the Today page's date (GET /api/team/day): calls and visits logged against planned, open
 * touches overdue and the last log, furthest behind first, each rep linking to their dashboard. The server
 * decides whose rows the caller may see.
 */
export function TeamDayTable({ date }: { date: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const day = useTeamDay(date);
  const [showAll, setShowAll] = useState(false);
  const data = day.data;

  let body: React.ReactNode;
  if (day.isError && !data) {
    body = (
      <Alert
        color="red"
        variant="light"
        icon={<Icon name="alert" />}
        title={t('today.team.day.loadFailed')}
      />
    );
  } else if (!data) {
    body = (
      <Stack gap={6} aria-hidden="true" data-testid="team-day-loading">
        <Skeleton h={14} w="100%" />
        <Skeleton h={14} w="90%" />
        <Skeleton h={14} w="95%" />
      </Stack>
    );
  } else if (data.reps.length === 0) {
    body = (
      <Text fz="sm" c="dimmed">
        {t('today.team.day.noReps')}
      </Text>
    );
  } else {
    const rows = showAll ? data.reps : data.reps.slice(0, ROWS_SHOWN);
    const ratio = (done: number, planned: number) =>
      t('today.team.day.ratio', { done: format.number(done), planned: format.number(planned) });
    const lastLogged = (rep: TTeamDayRep) => {
      if (!rep.lastLoggedAt || !rep.lastLoggedOn) return t('today.team.day.never');
      return rep.lastLoggedOn === data.date
        ? format.timeOfDay(rep.lastLoggedAt, data.timeZone)
        : format.shortDate(rep.lastLoggedOn);
    };
    body = (
      <>
        <Table
          fz="sm"
          verticalSpacing={6}
          horizontalSpacing={6}
          aria-labelledby={headingId}
          data-testid="team-day-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('today.team.day.rep')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('today.team.day.calls')}
                <VisuallyHidden>{t('today.team.day.doneOfPlanned')}</VisuallyHidden>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('today.team.day.visits')}
                <VisuallyHidden>{t('today.team.day.doneOfPlanned')}</VisuallyHidden>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('today.team.day.overdue')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('today.team.day.lastLogged')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((rep) => (
              <Table.Tr key={rep.repId} data-testid="team-day-rep" data-status={rep.status}>
                <Table.Th scope="row" fw={400}>
                  <Anchor component={Link} to={`/dashboard?rep=${encodeURIComponent(rep.repId)}`} fz="sm">
                    {rep.name}
                  </Anchor>
                  <Text fz="xs" c={STATUS_COLOR[rep.status]} data-testid="team-day-status">
                    {t(`today.team.day.status.${rep.status}`)}
                  </Text>
                </Table.Th>
                <Table.Td ta="right" className="tabular" data-testid="team-day-calls">
                  {ratio(rep.done.calls, rep.planned.calls)}
                </Table.Td>
                <Table.Td ta="right" className="tabular" data-testid="team-day-visits">
                  {ratio(rep.done.visits, rep.planned.visits)}
                </Table.Td>
                <Table.Td
                  ta="right"
                  className="tabular"
                  c={rep.overdue > 0 ? STRONG_TEXT.red : undefined}
                  fw={rep.overdue > 0 ? 600 : undefined}
                  data-testid="team-day-overdue"
                >
                  {format.number(rep.overdue)}
                </Table.Td>
                <Table.Td ta="right" className="tabular nowrap" data-testid="team-day-last">
                  {lastLogged(rep)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {data.reps.length > ROWS_SHOWN && (
          <Button variant="subtle" size="compact-sm" onClick={() => setShowAll((shown) => !shown)}>
            {showAll
              ? t('today.team.day.showFewer')
              : t('today.team.day.showAll', { count: data.reps.length })}
          </Button>
        )}
      </>
    );
  }

  return (
    <Stack
      gap={6}
      component="section"
      aria-labelledby={headingId}
      aria-busy={day.isPlaceholderData}
      data-testid="team-day"
    >
      <Text fz="sm" fw={600} component="h3" id={headingId}>
        {t('today.team.day.title')}
      </Text>
      {body}
    </Stack>
  );
}
