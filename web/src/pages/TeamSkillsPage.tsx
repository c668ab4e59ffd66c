import '../features/touches/touches.css';
import '../features/skills/skills.css';
import { Button, Grid, Group, Progress, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthStatus } from '../api/auth.ts';
import { useRepSkills, useStageHistory, useTeamSkills } from '../api/practice.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { usePageTitle } from '../components/page-title.ts';
import { formatShare } from '../features/playbook/stats.ts';
import { AddSkillModal } from '../features/skills/AddSkillModal.tsx';
import { AssessModal } from '../features/skills/AssessModal.tsx';
import { LoadError, SkillStages, SkillsCard } from '../features/skills/SkillStages.tsx';
import { StageLegend } from '../features/skills/StageBadge.tsx';
import { StageHistory } from '../features/skills/StageHistory.tsx';
import { type MatrixCell, TeamMatrix } from '../features/skills/TeamMatrix.tsx';
import { useFormat } from '../i18n/use-format.ts';

/** Team skills (method §6): managers see reps × skills, practice per week and the objections met most. */
export function TeamSkillsPage() {
  const { t } = useTranslation();
  const auth = useAuthStatus();
  const role = auth.data?.user?.role;
  const isManager = role === 'manager' || role === 'admin';
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  // The skills there are (the matrix's, loaded by the manager's view): a new skill's code is none of them.
  const team = useTeamSkills(isManager);
  const takenCodes = useMemo(() => team.data?.skills.map((s) => s.code) ?? [], [team.data]);
  usePageTitle(t('skills.team.title'));
  return (
    <Stack gap="lg" className="team-skills-page">
      <Group justify="space-between" align="flex-start" gap="sm">
        <div>
          <Title order={1} fz="h2">
            {t('skills.team.title')}
          </Title>
          <Text c="dimmed" fz="sm" maw={720}>
            {isManager ? t('skills.team.intro') : t('skills.team.repIntro')}
          </Text>
        </div>
        {isManager && (
          <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setAdding(true)}>
            {t('skills.add.button')}
          </Button>
        )}
      </Group>
      <Text fz="sm" c="teal.9" role="status" data-testid="skill-added" hidden={!added}>
        {added ? t('skills.add.added', { name: added }) : ''}
      </Text>
      {auth.data == null ? <PageLoader minHeight={200} /> : isManager ? <ManagerView /> : <RepView />}
      {isManager && (
        <AddSkillModal
          opened={adding}
          takenCodes={takenCodes}
          onClose={() => setAdding(false)}
          onAdded={(name) => {
            setAdding(false);
            setAdded(name);
          }}
        />
      )}
    </Stack>
  );
}

function RepView() {
  const { t } = useTranslation();
  const skills = useRepSkills();
  const history = useStageHistory();
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <SkillsCard title={t('skills.mine')} id="my-skills">
          {skills.isError && !skills.data ? (
            <LoadError onRetry={() => void skills.refetch()} />
          ) : !skills.data ? (
            <PageLoader minHeight={120} />
          ) : (
            <SkillStages data={skills.data} selfAssess />
          )}
        </SkillsCard>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <SkillsCard title={t('skills.history.title')} id="stage-history">
          {history.data ? <StageHistory entries={history.data} /> : <PageLoader minHeight={80} />}
        </SkillsCard>
      </Grid.Col>
    </Grid>
  );
}

function ManagerView() {
  const { t } = useTranslation();
  const format = useFormat();
  const team = useTeamSkills(true);
  const [cell, setCell] = useState<MatrixCell | null>(null);
  const data = team.data;
  if (team.isError && !data) return <LoadError onRetry={() => void team.refetch()} />;
  if (!data) return <PageLoader label={t('skills.loading')} minHeight={240} />;
  const mostMet = Math.max(1, ...data.objectionsMet.map((o) => o.met));
  const busiest = Math.max(1, ...data.practice.flatMap((p) => p.perWeek));
  return (
    <>
      <SkillsCard title={t('skills.team.matrix')} id="matrix-heading" actions={<StageLegend />}>
        {data.members.length === 0 ? (
          <Text c="dimmed" fz="sm">
            {t('skills.team.noMembers')}
          </Text>
        ) : (
          <>
            <TeamMatrix data={data} onAssess={setCell} />
            <Text fz="xs" c="dimmed" mt="xs">
              {t('skills.team.matrixHint')}
            </Text>
          </>
        )}
      </SkillsCard>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <SkillsCard title={t('skills.team.activity')} id="activity-heading">
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so keyboards can scroll it */}
            <section className="matrix-scroll" aria-labelledby="activity-heading" tabIndex={0}>
              <Table fz="sm" className="activity-table" data-testid="practice-activity">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('skills.team.rep')}</Table.Th>
                    {data.weeks.map((week) => (
                      <Table.Th key={week} scope="col" className="numeric">
                        {format.isoWeek(week)}
                      </Table.Th>
                    ))}
                    <Table.Th scope="col" className="numeric">
                      {t('skills.team.total')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.practice.map((row) => (
                    <Table.Tr key={row.userId}>
                      <Table.Th scope="row" fw={600} className="activity-rep">
                        {row.name}
                      </Table.Th>
                      {row.perWeek.map((count, i) => (
                        <Table.Td
                          key={data.weeks[i]}
                          className="numeric activity-cell"
                          style={{ '--activity': count / busiest } as React.CSSProperties}
                        >
                          {count > 0 ? (
                            format.number(count)
                          ) : (
                            <>
                              <span aria-hidden="true">·</span>
                              <VisuallyHidden>0</VisuallyHidden>
                            </>
                          )}
                        </Table.Td>
                      ))}
                      <Table.Td className="numeric" fw={700}>
                        {format.number(row.total)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </section>
            <Text fz="xs" c="dimmed" mt="xs">
              {t('skills.team.activityHint', { weeks: data.weeks.length })}
            </Text>
          </SkillsCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <SkillsCard title={t('skills.team.objections')} id="objections-heading">
            {data.objectionsMet.length === 0 ? (
              <Text c="dimmed" fz="sm">
                {t('skills.team.noObjections')}
              </Text>
            ) : (
              <ol className="plain-list objections-met" data-testid="objections-met">
                {data.objectionsMet.map((o) => (
                  <li key={o.objectionId}>
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text fz="sm" fw={600}>
                        {o.title}
                      </Text>
                      <Text fz="xs" c="gray.8" className="nowrap tabular">
                        {t('skills.team.met', { count: o.met })} ·{' '}
                        {t('skills.team.success', {
                          share: formatShare(o.successRate, format.language),
                          successes: o.successes,
                        })}
                      </Text>
                    </Group>
                    <Progress
                      value={(o.met / mostMet) * 100}
                      size="sm"
                      radius="xl"
                      mt={4}
                      aria-hidden="true"
                    />
                  </li>
                ))}
              </ol>
            )}
          </SkillsCard>
        </Grid.Col>
      </Grid>
      <AssessModal cell={cell} onClose={() => setCell(null)} />
    </>
  );
}
