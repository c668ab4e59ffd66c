import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TLearningStage } from '../../api/practice.ts';
import { STAGE_INK, STAGES } from './stages.ts';

/** Four small steps, the first `stage` of them filled: the stage reads without colour. */
export function StageMeter({ stage, size = 6 }: { stage: TLearningStage; size?: number }) {
  return (
    <span className="stage-meter" aria-hidden="true">
      {STAGES.map((step) => (
        <span
          key={step}
          className="stage-meter-step"
          data-filled={step <= stage || undefined}
          style={{ width: size, height: size * 2 }}
        />
      ))}
    </span>
  );
}

/** A stage as number, meter and name (the names of LEARNING_STAGES, method §6). */
export function StageBadge({ stage, short = false }: { stage: TLearningStage; short?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={STAGE_INK[stage]}
      radius="sm"
      tt="none"
      size="lg"
      fw={600}
      className="stage-badge"
      data-stage={stage}
      leftSection={<StageMeter stage={stage} />}
    >
      {short
        ? t('skills.stageNumber', { stage })
        : t('skills.stageLabel', { stage, name: t(`skills.stages.${stage}.name`) })}
    </Badge>
  );
}

/** The legend: every stage with its name and what it means. */
export function StageLegend() {
  const { t } = useTranslation();
  return (
    <Group gap="md" wrap="wrap" component="ul" className="plain-list" aria-label={t('skills.legend')}>
      {STAGES.map((stage) => (
        <Group key={stage} component="li" gap={6} wrap="nowrap">
          <StageBadge stage={stage} short />
          <Text fz="sm">{t(`skills.stages.${stage}.name`)}</Text>
        </Group>
      ))}
    </Group>
  );
}
