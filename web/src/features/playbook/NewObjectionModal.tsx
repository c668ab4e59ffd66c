import {
  Alert,
  Button,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FormProblem, formProblem, noProblem } from '../../api/form-errors.ts';
import { type TPlaybookObjection, useCreateObjection } from '../../api/playbook.ts';
import { Icon } from '../../components/icons.tsx';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The objection as saved (the page opens it in the editor to add more responses). */
  onCreated: (objection: TPlaybookObjection) => void;
}

interface Draft {
  code: string;
  labelZh: string;
  labelEn: string;
  zh: string;
  en: string;
  responseZh: string;
  responseEn: string;
}

const EMPTY: Draft = { code: '', labelZh: '', labelEn: '', zh: '', en: '', responseZh: '', responseEn: '' };
const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A code from English words (`Price too high` → `price-too-high`); empty when there are none. */
export function suggestCode(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/**
 * A manager adds an objection: its code, short name and wording in Chinese and English, and optionally the
 * first response (which becomes the preferred one). Checked here first, then the API's messages are shown
 * under the fields they name.
 */
export function NewObjectionModal({ opened, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const create = useCreateObjection();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  // The code follows the English name until the manager types one.
  const [codeTouched, setCodeTouched] = useState(false);
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
    setDraft((d) => {
      const next = { ...d, [field]: value };
      if (!codeTouched && (field === 'labelEn' || field === 'en')) {
        next.code = suggestCode(next.labelEn || next.en);
      }
      return next;
    });
  };

  function check(d: Draft): FormProblem {
    const fields: Record<string, string> = {};
    if (!d.code.trim()) fields.code = t('playbook.create.codeRequired');
    else if (!CODE.test(d.code.trim())) fields.code = t('playbook.create.codeInvalid');
    if (!d.zh.trim() && !d.en.trim()) fields.zh = t('playbook.create.textRequired');
    return { fields, message: null };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = check(draft);
    setProblem(local);
    if (Object.keys(local.fields).length > 0) return;
    const hasResponse = draft.responseZh.trim() || draft.responseEn.trim();
    try {
      const created = await create.mutateAsync({
        code: draft.code.trim(),
        label: { zh: draft.labelZh, en: draft.labelEn },
        zh: draft.zh,
        en: draft.en,
        responses: hasResponse ? [{ zh: draft.responseZh, en: draft.responseEn, preferred: true }] : [],
      });
      onCreated(created);
    } catch (cause) {
      setProblem(formProblem(cause, t('errors.network')));
    }
  }

  const error = (field: string) => problem.fields[field];

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size={760}
      fullScreen={isPhone}
      radius="lg"
      title={
        <Title order={2} fz="h4" component="span">
          {t('playbook.create.title')}
        </Title>
      }
      closeButtonProps={{ 'aria-label': t('playbook.create.close') }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Text fz="sm" c="dimmed">
            {t('playbook.create.intro')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('playbook.edit.labelZh')}
              value={draft.labelZh}
              onChange={set('labelZh')}
              error={error('label.zh') ?? error('label')}
              maxLength={60}
              lang="zh-CN"
            />
            <TextInput
              label={t('playbook.edit.labelEn')}
              value={draft.labelEn}
              onChange={set('labelEn')}
              error={error('label.en')}
              maxLength={60}
              lang="en"
            />
            <Textarea
              label={t('playbook.edit.textZh')}
              value={draft.zh}
              onChange={set('zh')}
              error={error('zh')}
              autosize
              minRows={2}
              maxLength={500}
              lang="zh-CN"
            />
            <Textarea
              label={t('playbook.edit.textEn')}
              value={draft.en}
              onChange={set('en')}
              error={error('en')}
              autosize
              minRows={2}
              maxLength={500}
              lang="en"
            />
          </SimpleGrid>
          <TextInput
            label={t('playbook.create.code')}
            description={t('playbook.create.codeHint')}
            value={draft.code}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setCodeTouched(true);
              setDraft((d) => ({ ...d, code: value }));
            }}
            error={error('code')}
            required
            maxLength={64}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            spellCheck={false}
            autoCapitalize="none"
          />
          <Title order={3} fz="sm" mt="xs">
            {t('playbook.create.firstResponse')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Textarea
              label={t('playbook.edit.responseZh')}
              value={draft.responseZh}
              onChange={set('responseZh')}
              error={error('responses.0.zh') ?? error('responses')}
              autosize
              minRows={3}
              maxLength={2000}
              lang="zh-CN"
            />
            <Textarea
              label={t('playbook.edit.responseEn')}
              value={draft.responseEn}
              onChange={set('responseEn')}
              error={error('responses.0.en')}
              autosize
              minRows={3}
              maxLength={2000}
              lang="en"
            />
          </SimpleGrid>
          {problem.message && (
            <Alert color="red" variant="light" role="alert" icon={<Icon name="alert" />}>
              {problem.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('playbook.create.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('playbook.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
