import '../features/touches/touches.css';
import '../features/skills/skills.css';
import { Grid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRepSkills, useStageHistory } from '../api/practice.ts';
import { PageLoader } from '../components/PageLoader.tsx';
import { DrillSession } from '../features/practice/DrillSession.tsx';
import { LoadError, SkillStages, SkillsCard } from '../features/skills/SkillStages.tsx';
import { StageHistory } from '../features/skills/StageHistory.tsx';

/**
 * Practice (method §6): a spaced-repetition drill session, the rep's stage per skill with a self-assessment,
 * and the history of stage moves.
 */
export function PracticePage() {
  const { t } = useTranslation();
  const skills = useRepSkills();
  const history = useStageHistory();
  return (
    <Stack gap="lg" className="practice-page">
      <div>
        <Title order={1} fz="h2">
          {t('practice.title')}
        </Title>
        <Text c="dimmed" fz="sm" maw={720}>
          {t('practice.intro')}
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <DrillSession />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <SkillsCard title={t('skills.mine')} id="my-skills">
              {skills.isError && !skills.data ? (
                <LoadError onRetry={() => void skills.refetch()} />
              ) : !skills.data ? (
                <PageLoader label={t('skills.loading')} minHeight={120} />
              ) : (
                <SkillStages data={skills.data} selfAssess />
              )}
            </SkillsCard>
            <SkillsCard title={t('skills.history.title')} id="stage-history">
              {history.isError && !history.data ? (
                <LoadError onRetry={() => void history.refetch()} />
              ) : !history.data ? (
                <PageLoader label={t('skills.loading')} minHeight={80} />
              ) : (
                <StageHistory entries={history.data} />
              )}
            </SkillsCard>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
