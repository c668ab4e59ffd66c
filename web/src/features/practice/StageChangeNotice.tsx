import { Alert, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TStageChange } from '../../api/practice.ts';
import { Icon } from '../../components/icons.tsx';
import { StageBadge } from '../skills/StageBadge.tsx';

/** A stage that moved, said plainly: up is celebrated, down is framed as the next thing to practise. */
export function StageChangeNotice({
  change,
  skillName,
  onClose,
}: {
  change: NonNullable<TStageChange['transition']>;
  skillName: string;
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  const up = change.to > change.from;
  return (
    <Alert
      color={up ? '#066649' : '#a63d00'}
      variant="light"
      radius="md"
      icon={<Icon name={up ? 'check' : 'info'} size={22} />}
      title={
        up
          ? t('practice.stageUp.title', { skill: skillName })
          : t('practice.stageDown.title', { skill: skillName })
      }
      withCloseButton={onClose != null}
      onClose={onClose}
      closeButtonLabel={t('practice.stageUp.dismiss')}
      data-testid="stage-change"
    >
      <Group gap="xs" wrap="wrap" mb={6}>
        <StageBadge stage={change.from} />
        <Icon name="chevronRight" size={16} />
        <StageBadge stage={change.to} />
      </Group>
      <Text fz="sm">
        {t(`skills.rules.${change.rule}`)} {up ? t('practice.stageUp.body') : t('practice.stageDown.body')}
      </Text>
    </Alert>
  );
}
