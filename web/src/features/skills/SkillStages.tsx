import { Alert, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type TLearningStage, type TRepSkills, useSelfAssess } from '../../api/practice.ts';
import { StageBadge } from './StageBadge.tsx';
import { isStage, STAGES } from './stages.ts';

interface Props {
  data: TRepSkills;
  /** The rep's own page: each skill has a self-assessment control. */
  selfAssess: boolean;
}

/** A rep's stage per skill with the evidence behind it, and (for the rep) a self-assessment per skill. */
export function SkillStages({ data, selfAssess }: Props) {
  const { t } = useTranslation();
  const assess = useSelfAssess();
  const [message, setMessage] = useState<{ skillId: string; text: string; tone: 'ok' | 'error' } | null>(
    null,
  );

  async function submit(skillId: string, skillName: string, stage: TLearningStage) {
    setMessage(null);
    try {
      const change = await assess.mutateAsync({ skillId, stage });
      const moved = change.transition;
      setMessage({
        skillId,
        tone: 'ok',
        text: moved
          ? t('skills.self.moved', { skill: skillName, from: moved.from, to: moved.to })
          : t('skills.self.recorded', { skill: skillName, stage: change.stage }),
      });
    } catch {
      setMessage({ skillId, tone: 'error', text: t('skills.self.failed') });
    }
  }

  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="wrap" aria-label={t('skills.countsLabel')} role="group">
        {STAGES.map((stage) => (
          <Text key={stage} fz="xs" c="gray.8" className="tabular">
            <StageBadge stage={stage} short /> × {data.counts[stage]}
          </Text>
        ))}
      </Group>
      <ul className="plain-list divided skill-list" data-testid="skill-stages">
        {data.skills.map((skill) => (
          <li key={skill.skill.id} className="skill-row">
            <Stack gap={4}>
              <Group justify="space-between" gap="xs" wrap="wrap" align="center">
                <Text fw={600} fz="sm" id={`skill-${skill.skill.id}`}>
                  {skill.skill.name}
                </Text>
                <StageBadge stage={skill.stage} />
              </Group>
              <Text fz="xs" c="gray.7">
                {t('skills.evidence', {
                  drills: t('skills.drills', { count: skill.practice.reviews }),
                  streak: skill.practice.goodStreak,
                  met: t('skills.met', { count: skill.realUses.count }),
                  successes: skill.realUses.successes,
                })}
              </Text>
              {selfAssess && (
                <Group gap="xs" wrap="nowrap" align="center">
                  <Select
                    size="xs"
                    w={220}
                    aria-label={t('skills.self.label', { skill: skill.skill.name })}
                    placeholder={
                      skill.lastSelfAssessment
                        ? t('skills.self.last', { stage: skill.lastSelfAssessment.stage })
                        : t('skills.self.placeholder')
                    }
                    value={null}
                    data={STAGES.map((stage) => ({
                      value: String(stage),
                      label: t('skills.stageLabel', { stage, name: t(`skills.stages.${stage}.name`) }),
                    }))}
                    disabled={assess.isPending}
                    onChange={(value) => {
                      const stage = Number(value);
                      if (isStage(stage)) void submit(skill.skill.id, skill.skill.name, stage);
                    }}
                    comboboxProps={{ withinPortal: true }}
                  />
                </Group>
              )}
              {message?.skillId === skill.skill.id && (
                <Text fz="xs" c={message.tone === 'ok' ? 'teal.9' : 'red.8'} role="status">
                  {message.text}
                </Text>
              )}
            </Stack>
          </li>
        ))}
      </ul>
    </Stack>
  );
}

/** A titled card around a section of the skills pages. */
export function SkillsCard({
  title,
  id,
  children,
  actions,
}: {
  title: string;
  id: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} fz="lg" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

export function LoadError({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={t('skills.loadFailed')}>
      <Text
        component="button"
        type="button"
        fz="sm"
        td="underline"
        c="red.9"
        style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer' }}
        onClick={onRetry}
      >
        {t('errors.retry')}
      </Text>
    </Alert>
  );
}
