import { Alert, Button, Group, Modal, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FormProblem, formProblem, noProblem } from '../../api/form-errors.ts';
import { useCreateSkill } from '../../api/practice.ts';
import { Icon } from '../../components/icons.tsx';

interface Draft {
  zh: string;
  en: string;
  description: string;
  code: string;
}

const EMPTY: Draft = { zh: '', en: '', description: '', code: '' };
const CODE = /^(?:custom:)?[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A manager adds a skill beyond the one-per-objection defaults: its name in Chinese and English, what the rep
 * should be able to do, and optionally its code (made from the English name when left empty). Every rep starts
 * it at stage 1, so it shows as a new column of the team matrix.
 */
export function AddSkillModal({
  opened,
  onClose,
  onAdded,
}: {
  opened: boolean;
  onClose: () => void;
  onAdded: (name: string) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateSkill();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<FormProblem>(noProblem());

  useEffect(() => {
    if (opened) {
      setDraft(EMPTY);
      setProblem(noProblem());
    }
  }, [opened]);

  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [field]: value }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!draft.zh.trim() && !draft.en.trim()) fields.zh = t('skills.add.nameRequired');
    if (draft.code.trim() && !CODE.test(draft.code.trim())) fields.code = t('skills.add.codeInvalid');
    setProblem({ fields, message: null });
    if (Object.keys(fields).length > 0) return;
    try {
      const skill = await create.mutateAsync({
        zh: draft.zh,
        en: draft.en,
        description: draft.description,
        ...(draft.code.trim() ? { code: draft.code.trim() } : {}),
      });
      onAdded(skill.name);
    } catch (cause) {
      setProblem(formProblem(cause, t('errors.network')));
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('skills.add.title')}
      size={640}
      radius="lg"
      closeButtonProps={{ 'aria-label': t('skills.add.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Text fz="sm" c="dimmed">
            {t('skills.add.intro')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('skills.add.nameZh')}
              value={draft.zh}
              onChange={set('zh')}
              error={problem.fields.zh}
              maxLength={200}
              lang="zh-CN"
              data-autofocus
            />
            <TextInput
              label={t('skills.add.nameEn')}
              value={draft.en}
              onChange={set('en')}
              error={problem.fields.en}
              maxLength={200}
              lang="en"
            />
          </SimpleGrid>
          <Textarea
            label={t('skills.add.description')}
            description={t('skills.add.descriptionHint')}
            value={draft.description}
            onChange={set('description')}
            error={problem.fields.description}
            autosize
            minRows={3}
            maxLength={1000}
          />
          <TextInput
            label={t('skills.add.code')}
            description={t('skills.add.codeHint')}
            value={draft.code}
            onChange={set('code')}
            error={problem.fields.code}
            maxLength={72}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            spellCheck={false}
            autoCapitalize="none"
          />
          {problem.message && (
            <Alert color="red" variant="light" role="alert" icon={<Icon name="alert" />}>
              {problem.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('skills.add.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('skills.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
