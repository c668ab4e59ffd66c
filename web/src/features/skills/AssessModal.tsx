import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type TLearningStage, useAssessSkill } from '../../api/practice.ts';
import { Icon } from '../../components/icons.tsx';
import { StageBadge } from './StageBadge.tsx';
import { isStage, STAGES } from './stages.ts';
import type { MatrixCell } from './TeamMatrix.tsx';

/** The manager sets a rep's stage for a skill, with the reason (kept in the rep's history). */
export function AssessModal({ cell, onClose }: { cell: MatrixCell | null; onClose: () => void }) {
  const { t } = useTranslation();
  const assess = useAssessSkill();
  const [stage, setStage] = useState<TLearningStage>(1);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (cell) {
      setStage(cell.stage);
      setNote('');
      setDone(null);
      assess.reset();
    }
  }, [cell, assess.reset]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!cell || !note.trim()) return;
    const change = await assess.mutateAsync({
      skillId: cell.skillId,
      userId: cell.userId,
      stage,
      note: note.trim(),
    });
    setDone(
      change.transition
        ? t('skills.assess.moved', {
            rep: cell.repName,
            from: change.transition.from,
            to: change.transition.to,
          })
        : t('skills.assess.unchanged', { rep: cell.repName, stage: change.stage }),
    );
  }

  return (
    <Modal
      opened={cell != null}
      onClose={onClose}
      title={cell ? t('skills.assess.title', { rep: cell.repName }) : ''}
      size={520}
      radius="lg"
      closeButtonProps={{ 'aria-label': t('skills.assess.close') }}
    >
      {cell && (
        <form onSubmit={(event) => void submit(event).catch(() => undefined)}>
          <Stack gap="md">
            <div>
              <Text fz="sm" fw={600}>
                {cell.skillName}
              </Text>
              <Group gap={6} mt={4}>
                <Text fz="xs" c="gray.7">
                  {t('skills.assess.current')}
                </Text>
                <StageBadge stage={cell.stage} />
              </Group>
            </div>
            <Radio.Group
              label={t('skills.assess.stage')}
              value={String(stage)}
              onChange={(value) => {
                const next = Number(value);
                if (isStage(next)) setStage(next);
              }}
            >
              <Stack gap="xs" mt="xs">
                {STAGES.map((s) => (
                  <Radio
                    key={s}
                    value={String(s)}
                    label={t('skills.stageLabel', { stage: s, name: t(`skills.stages.${s}.name`) })}
                    description={t(`skills.stages.${s}.means`)}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Textarea
              label={t('skills.assess.reason')}
              description={t('skills.assess.reasonHint')}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              required
              autosize
              minRows={2}
              maxLength={1000}
              data-testid="assess-reason"
            />
            {assess.isError && (
              <Alert color="red" variant="light" role="alert" icon={<Icon name="alert" />}>
                {t('skills.assess.failed')}
              </Alert>
            )}
            {done && (
              <Alert
                color="teal"
                variant="light"
                role="status"
                icon={<Icon name="check" />}
                data-testid="assess-done"
              >
                {done}
              </Alert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                {done ? t('skills.assess.done') : t('skills.assess.cancel')}
              </Button>
              {!done && (
                <Button type="submit" loading={assess.isPending} disabled={!note.trim()}>
                  {t('skills.assess.save')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
