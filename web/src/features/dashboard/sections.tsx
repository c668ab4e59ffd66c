import {
  Anchor,
  Badge,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TDashboard } from '../../api/dashboard.ts';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STAGE_COLORS } from '../skills/stages.ts';
import { accountsHref, scopeDrill } from './drill.ts';

// recharts is big: it loads with the weekly chart, after the figures are on screen.
const WeeklyChart = lazy(() => import('./WeeklyChart.tsx'));

/** One figure as a link to the accounts behind it; the label says what the list will show. */
function DrillLink({ to, label, children }: { to: string; label: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} aria-label={label} fw={600} className="numeric" data-testid="drill-link">
      {children}
    </Anchor>
  );
}

export function Section({
  id,
  title,
  intro,
  children,
  testId,
}: {
  id: string;
  title: string;
  intro?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Stack gap="sm">
        <div>
          <Title order={2} fz="h4" id={id}>
            {title}
          </Title>
          {intro && (
            <Text c="dimmed" fz="sm">
              {intro}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

function percent(share: number | null, language: string): string {
  if (share == null) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** Planned against done calls and visits per week: a chart and the same numbers as linked table cells. */
export function WeeklySection({ data }: { data: TDashboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [channel, setChannel] = useState<'calls' | 'visits'>('calls');
  const touches = scopeDrill(data.scope, 'touches');
  const points = data.weeks.map((w) => ({
    label: format.shortDate(w.from),
    plannedCalls: w.planned.calls,
    doneCalls: w.done.calls,
    plannedVisits: w.planned.visits,
    doneVisits: w.done.visits,
  }));
  const channelOf = { calls: 'call', visits: 'visit' } as const;
  const cell = (w: TDashboard['weeks'][number], kind: 'planned' | 'done', ch: 'calls' | 'visits') => {
    const value = w[kind][ch];
    const week = t('dashboard.weekly.weekOf', { date: format.shortDate(w.from) });
    const window =
      kind === 'planned'
        ? { plannedFrom: w.from, plannedTo: w.to }
        : { touchedFrom: w.from, touchedTo: w.to };
    return (
      <Table.Td className="numeric">
        {value === 0 ? (
          <Text span c="dimmed" fz="sm">
            {format.number(0)}
          </Text>
        ) : (
          <DrillLink
            to={accountsHref({ drill: { ...touches, ...window, channel: channelOf[ch] } })}
            label={t(`dashboard.weekly.drill.${kind}.${ch}`, { count: value, week })}
          >
            {format.number(value)}
          </DrillLink>
        )}
      </Table.Td>
    );
  };
  return (
    <Section
      id="dashboard-weekly"
      testId="dashboard-weekly"
      title={t('dashboard.weekly.title')}
      intro={t('dashboard.weekly.intro')}
    >
      <SegmentedControl
        size="xs"
        value={channel}
        onChange={(value) => setChannel(value === 'visits' ? 'visits' : 'calls')}
        data={[
          { value: 'calls', label: t('dashboard.weekly.calls') },
          { value: 'visits', label: t('dashboard.weekly.visits') },
        ]}
        aria-label={t('dashboard.weekly.chartChannel')}
        style={{ alignSelf: 'flex-start' }}
      />
      <Suspense fallback={<Skeleton h={200} />}>
        <WeeklyChart
          points={points}
          channel={channel}
          labels={{ planned: t('dashboard.weekly.planned'), done: t('dashboard.weekly.done') }}
        />
      </Suspense>
      <ScrollTable minWidth={420} labelledBy="dashboard-weekly">
        <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" striped>
          <VisuallyHidden component="caption">{t('dashboard.weekly.tableCaption')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" rowSpan={2}>
                {t('dashboard.weekly.week')}
              </Table.Th>
              <Table.Th scope="colgroup" colSpan={2} ta="center">
                {t('dashboard.weekly.calls')}
              </Table.Th>
              <Table.Th scope="colgroup" colSpan={2} ta="center">
                {t('dashboard.weekly.visits')}
              </Table.Th>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.weekly.planned')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.weekly.done')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.weekly.planned')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.weekly.done')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.weeks.map((w) => (
              <Table.Tr key={w.from}>
                <Table.Th scope="row" fw={400}>
                  {format.shortDate(w.from)}–{format.shortDate(w.to)}
                </Table.Th>
                {cell(w, 'planned', 'calls')}
                {cell(w, 'done', 'calls')}
                {cell(w, 'planned', 'visits')}
                {cell(w, 'done', 'visits')}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Section>
  );
}

/** Share of each tier's in-market accounts touched within the cadence, per channel. */
export function CoverageSection({ data }: { data: TDashboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const own = scopeDrill(data.scope, 'accounts');
  return (
    <Section
      id="dashboard-coverage"
      testId="dashboard-coverage"
      title={t('dashboard.coverage.title')}
      intro={t('dashboard.coverage.intro')}
    >
      <ScrollTable minWidth={360} labelledBy="dashboard-coverage">
        <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dashboard.coverage.tier')}</Table.Th>
              <Table.Th scope="col">{t('dashboard.coverage.channel')}</Table.Th>
              <Table.Th scope="col">{t('dashboard.coverage.share')}</Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.coverage.covered')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.coverage.notCovered')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.coverage.map((c) => {
              const channel = t(`dashboard.channel.${c.channel}`);
              const missing = c.accounts - c.covered;
              const base = { tier: [c.tier], inMarket: true };
              return (
                <Table.Tr key={`${c.tier}-${c.channel}`} data-testid={`coverage-${c.tier}-${c.channel}`}>
                  <Table.Td>
                    <TierBadge tier={c.tier} />
                  </Table.Td>
                  <Table.Td>
                    {channel}
                    <Text span c="dimmed" fz="xs" display="block" className="nowrap">
                      {c.intervalMonths
                        ? t('dashboard.coverage.every', { count: c.intervalMonths })
                        : t('dashboard.coverage.noCadence')}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={110}>
                    <Group gap={6} wrap="nowrap">
                      <Progress
                        value={(c.share ?? 0) * 100}
                        color={
                          c.share == null
                            ? 'gray'
                            : c.share >= 0.8
                              ? 'teal'
                              : c.share >= 0.5
                                ? 'yellow'
                                : 'red'
                        }
                        w={64}
                        aria-hidden="true"
                      />
                      <Text span fz="sm" fw={600}>
                        {percent(c.share, format.language)}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td className="numeric">
                    {c.covered > 0 ? (
                      <DrillLink
                        to={accountsHref({ ...base, drill: { ...own, covered: c.channel } })}
                        label={t('dashboard.coverage.drillCovered', {
                          count: c.covered,
                          tier: c.tier,
                          channel,
                        })}
                      >
                        {format.number(c.covered)}
                      </DrillLink>
                    ) : (
                      format.number(0)
                    )}
                  </Table.Td>
                  <Table.Td className="numeric">
                    {missing > 0 ? (
                      <DrillLink
                        to={accountsHref({ ...base, drill: { ...own, uncovered: c.channel } })}
                        label={t('dashboard.coverage.drillUncovered', {
                          count: missing,
                          tier: c.tier,
                          channel,
                        })}
                      >
                        {format.number(missing)}
                      </DrillLink>
                    ) : (
                      format.number(0)
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Section>
  );
}

/** Accounts with a planned call or visit past its day, per owning rep. */
export function OverdueSection({ data }: { data: TDashboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const own = scopeDrill(data.scope, 'accounts');
  const top = Math.max(1, ...data.overdue.byRep.map((r) => r.accounts));
  return (
    <Section id="dashboard-overdue" testId="dashboard-overdue" title={t('dashboard.overdue.title')}>
      {/* The count and its words side by side (22 家客户…): the words wrap beside it, not below. */}
      <Group gap="xs" align="baseline" wrap="nowrap">
        {data.overdue.accounts > 0 ? (
          <DrillLink
            to={accountsHref({ drill: { ...own, overdue: true } })}
            label={t('dashboard.overdue.drillAll', { count: data.overdue.accounts })}
          >
            <Text span fz={28} fw={700} c="red.8" data-testid="overdue-total">
              {format.number(data.overdue.accounts)}
            </Text>
          </DrillLink>
        ) : (
          <Text span fz={28} fw={700} data-testid="overdue-total">
            {format.number(0)}
          </Text>
        )}
        <Text span c="dimmed" fz="sm">
          {t('dashboard.overdue.accounts', { count: data.overdue.accounts })}
        </Text>
      </Group>
      {data.overdue.byRep.length > 0 ? (
        <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dashboard.overdue.rep')}</Table.Th>
              <Table.Th scope="col" w="40%">
                <VisuallyHidden>{t('dashboard.overdue.bar')}</VisuallyHidden>
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.overdue.count')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.overdue.byRep.map((r) => (
              <Table.Tr key={r.repId}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>
                  <Progress value={(r.accounts / top) * 100} color="red" aria-hidden="true" />
                </Table.Td>
                <Table.Td className="numeric">
                  <DrillLink
                    to={accountsHref({ drill: { overdue: true, ownerId: r.repId } })}
                    label={t('dashboard.overdue.drillRep', { count: r.accounts, name: r.name })}
                  >
                    {format.number(r.accounts)}
                  </DrillLink>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text c="dimmed" fz="sm">
          {t('dashboard.overdue.none')}
        </Text>
      )}
    </Section>
  );
}

/** Accounts per pipeline stage, in the order of the method. */
export function FunnelSection({ data }: { data: TDashboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const own = scopeDrill(data.scope, 'accounts');
  const top = Math.max(1, ...data.funnel.map((f) => f.accounts));
  return (
    <Section id="dashboard-funnel" testId="dashboard-funnel" title={t('dashboard.funnel.title')}>
      <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('dashboard.funnel.stage')}</Table.Th>
            <Table.Th scope="col" w="50%">
              <VisuallyHidden>{t('dashboard.funnel.bar')}</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t('dashboard.funnel.accounts')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.funnel.map((f) => {
            const stage = t(`stage.${f.stage}`);
            return (
              <Table.Tr key={f.stage} data-testid={`funnel-${f.stage}`}>
                <Table.Td>{stage}</Table.Td>
                <Table.Td>
                  <Progress
                    value={(f.accounts / top) * 100}
                    color={
                      f.stage === 'won'
                        ? 'teal'
                        : f.stage === 'lost' || f.stage === 'dormant'
                          ? 'gray'
                          : 'indigo'
                    }
                    aria-hidden="true"
                  />
                </Table.Td>
                <Table.Td className="numeric">
                  {f.accounts > 0 ? (
                    <DrillLink
                      to={accountsHref({ stage: [f.stage], drill: own })}
                      label={t('dashboard.funnel.drill', { count: f.accounts, stage })}
                    >
                      {format.number(f.accounts)}
                    </DrillLink>
                  ) : (
                    format.number(0)
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

/** The objections met most in the period, with the accounts where they came up. */
export function ObjectionsSection({ data }: { data: TDashboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const touches = scopeDrill(data.scope, 'touches');
  const top = Math.max(1, ...data.objections.map((o) => o.met));
  return (
    <Section
      id="dashboard-objections"
      testId="dashboard-objections"
      title={t('dashboard.objections.title')}
      intro={t('dashboard.objections.intro')}
    >
      {data.objections.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('dashboard.objections.none')}
        </Text>
      ) : (
        <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dashboard.objections.objection')}</Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.objections.met')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('dashboard.objections.accounts')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.objections.map((o) => {
              const label = format.language === 'en' ? o.label.en : o.label.zh;
              return (
                <Table.Tr key={o.objectionId}>
                  <Table.Td>
                    <Text fz="sm">{label}</Text>
                    <Progress value={(o.met / top) * 100} size="sm" color="orange" aria-hidden="true" />
                  </Table.Td>
                  <Table.Td className="numeric">{format.number(o.met)}</Table.Td>
                  <Table.Td className="numeric">
                    <DrillLink
                      to={accountsHref({
                        drill: {
                          ...touches,
                          objectionId: o.objectionId,
                          touchedFrom: data.from,
                          touchedTo: data.to,
                        },
                      })}
                      label={t('dashboard.objections.drill', { count: o.accounts, objection: label })}
                    >
                      {format.number(o.accounts)}
                    </DrillLink>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

/** How the reps' skills spread over the four learning stages. */
export function SkillsSection({ data, canSeeTeam }: { data: TDashboard; canSeeTeam: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const total = data.skills.stages.reduce((sum, s) => sum + s.count, 0);
  return (
    <Section
      id="dashboard-skills"
      testId="dashboard-skills"
      title={t('dashboard.skills.title')}
      intro={t('dashboard.skills.intro', {
        reps: t('dashboard.skills.reps', { count: data.skills.reps }),
        skills: t('dashboard.skills.skills', { count: data.skills.skills }),
      })}
    >
      {total === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('dashboard.skills.none')}
        </Text>
      ) : (
        <>
          <Progress.Root size={20} aria-hidden="true">
            {data.skills.stages.map((s) =>
              s.count > 0 ? (
                <Progress.Section
                  key={s.stage}
                  value={(s.count / total) * 100}
                  color={STAGE_COLORS[s.stage as 1 | 2 | 3 | 4]}
                />
              ) : null,
            )}
          </Progress.Root>
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {data.skills.stages.map((s) => (
              <Group key={s.stage} component="li" gap="xs" wrap="nowrap" justify="space-between">
                <Group gap={6} wrap="nowrap">
                  <Badge size="sm" circle color={STAGE_COLORS[s.stage as 1 | 2 | 3 | 4]} aria-hidden="true">
                    {s.stage}
                  </Badge>
                  <Text fz="sm">
                    {t('skills.stageLabel', {
                      stage: s.stage,
                      name: t(`skills.stages.${s.stage as 1 | 2 | 3 | 4}.name`),
                    })}
                  </Text>
                </Group>
                <Text fz="sm" fw={600} className="numeric">
                  {format.number(s.count)}
                </Text>
              </Group>
            ))}
          </Stack>
        </>
      )}
      {canSeeTeam && (
        <Anchor component={Link} to="/team/skills" fz="sm">
          {t('dashboard.skills.link')}
        </Anchor>
      )}
    </Section>
  );
}
