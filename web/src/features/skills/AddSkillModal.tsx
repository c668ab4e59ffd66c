import { Alert, Button, Group, Modal, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FormProblem, formProblem, noProblem } from '../../api/form-errors.ts';
import { useCreateSkill } from '../../api/practice.ts';
import { Icon } from '../../components/icons.tsx';
import { uniqueCode } from '../../components/unique-code.ts';

interface Draft {
  zh: string;
  en: string;
  description: string;
  code: string;
}

const EMPTY: Draft = { zh: '', en: '', description: '', code: '' };
const CODE = /^(?:custom:)?[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A skill's code as the form shows it: without the `custom:` the server puts before every manager's skill. */
const ownCode = (code: string) => code.replace(/^custom:/, '');

/**
 * A manager adds a skill beyond the one-per-objection defaults: its name in Chinese and English, what the rep
 * should be able to do, and its code (filled in from the English name, numbered as skill-N without one, and not
 * one of `takenCodes`; the manager may write another). Every rep starts it at stage 1, so it shows as a new column
 * of the team matrix.
 */
export function AddSkillModal({
  opened,
  takenCodes,
  onClose,
  onAdded,
}: {
  opened: boolean;
  /** The codes of the skills there are (`custom:…` and `objection:…`): the code offered is none of them. */
  takenCodes: readonly string[];
  onClose: () => void;
  onAdded: (name: string) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateSkill();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  // The code follows the English name (numbered without one) until the manager types one.
  const [codeTouched, setCodeTouched] = useState(false);
  const taken = useMemo(
    () => new Set(takenCodes.filter((c) => c.startsWith('custom:')).map(ownCode)),
    [takenCodes],
  );
  const code = codeTouched ? draft.code : uniqueCode(draft.en, taken, 'skill');
  const [problem, setProblem] = useState<FormProblem>(noProblem());

  useEffect(() => {
    if (opened) {
      setDraft(EMPTY);
      setCodeTouched(false);
      setProblem(noProblem());
    }
  }, [opened]);

  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    if (field === 'code') setCodeTouched(true);
    setDraft((d) => ({ ...d, [field]: value }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    const chosen = code.trim();
    if (!draft.zh.trim() && !draft.en.trim()) fields.zh = t('skills.add.nameRequired');
    if (!chosen) fields.code = t('skills.add.codeRequired');
    else if (!CODE.test(chosen)) fields.code = t('skills.add.codeInvalid');
    else if (taken.has(ownCode(chosen))) fields.code = t('skills.add.codeTaken', { code: ownCode(chosen) });
    setProblem({ fields, message: null });
    if (Object.keys(fields).length > 0) return;
    try {
      const skill = await create.mutateAsync({
        zh: draft.zh,
        en: draft.en,
        description: draft.description,
        code: chosen,
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
            value={code}
            onChange={set('code')}
            error={problem.fields.code}
            required
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
