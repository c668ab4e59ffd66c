import { Alert, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FormProblem, formProblem, noProblem } from '../../api/form-errors.ts';
import { type TPlaybookObjection, useCreateObjection } from '../../api/playbook.ts';
import { Icon } from '../../components/icons.tsx';
import { uniqueCode } from '../../components/unique-code.ts';
import { type Bilingual, BilingualFields, EMPTY_BILINGUAL, type Lang } from './BilingualFields.tsx';

interface Props {
  opened: boolean;
  /** The codes the playbook has: the code offered is none of them. */
  takenCodes: readonly string[];
  onClose: () => void;
  /** The objection as saved (the page opens it in the editor to add more responses). */
  onCreated: (objection: TPlaybookObjection) => void;
}

interface Draft {
  code: string;
  label: Bilingual;
  text: Bilingual;
  response: Bilingual;
}

const EMPTY: Draft = { code: '', label: EMPTY_BILINGUAL, text: EMPTY_BILINGUAL, response: EMPTY_BILINGUAL };
const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A manager adds an objection: its code, short name and wording in Chinese and English, and optionally the
 * first response (which becomes the preferred one). Checked here first, then the API's messages are shown
 * under the fields they name.
 */
export function NewObjectionModal({ opened, takenCodes, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const create = useCreateObjection();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  // The code follows the English name (numbered without one) until the manager types one.
  const [codeTouched, setCodeTouched] = useState(false);
  const taken = useMemo(() => new Set(takenCodes), [takenCodes]);
  const code = codeTouched ? draft.code : uniqueCode(draft.label.en || draft.text.en, taken, 'objection');
  const [problem, setProblem] = useState<FormProblem>(noProblem());

  useEffect(() => {
    if (opened) {
      setDraft(EMPTY);
      setCodeTouched(false);
      setProblem(noProblem());
    }
  }, [opened]);

  const set = (part: 'label' | 'text' | 'response') => (lang: Lang, value: string) => {
    setDraft((d) => ({ ...d, [part]: { ...d[part], [lang]: value } }));
  };

  function check(d: Draft, code: string): FormProblem {
    const fields: Record<string, string> = {};
    if (!code) fields.code = t('playbook.create.codeRequired');
    else if (!CODE.test(code)) fields.code = t('playbook.create.codeInvalid');
    else if (taken.has(code)) fields.code = t('playbook.create.codeTaken', { code });
    if (!d.text.zh.trim() && !d.text.en.trim()) fields.zh = t('playbook.create.textRequired');
    return { fields, message: null };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = check(draft, code.trim());
    setProblem(local);
    if (Object.keys(local.fields).length > 0) return;
    const { label, text, response } = draft;
    const hasResponse = response.zh.trim() || response.en.trim();
    try {
      const created = await create.mutateAsync({
        code: code.trim(),
        label,
        zh: text.zh,
        en: text.en,
        responses: hasResponse ? [{ ...response, preferred: true }] : [],
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
          <BilingualFields
            kind="label"
            value={draft.label}
            onChange={set('label')}
            error={{ zh: error('label.zh') ?? error('label'), en: error('label.en') }}
          />
          <BilingualFields
            kind="text"
            value={draft.text}
            onChange={set('text')}
            error={{ zh: error('zh'), en: error('en') }}
          />
          <TextInput
            label={t('playbook.create.code')}
            description={t('playbook.create.codeHint')}
            value={code}
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
          <BilingualFields
            kind="response"
            value={draft.response}
            onChange={set('response')}
            error={{ zh: error('responses.0.zh') ?? error('responses'), en: error('responses.0.en') }}
          />
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
