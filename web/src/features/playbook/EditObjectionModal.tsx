import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  Radio,
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
import { ApiError } from '../../api/client.ts';
import {
  type TPlaybookObjection,
  useAddResponse,
  useSetPreferred,
  useUpdateObjection,
} from '../../api/playbook.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { apiLang, inLang, objectionTitle } from './text.ts';

interface Props {
  objection: TPlaybookObjection | null;
  onClose: () => void;
}

interface Draft {
  labelZh: string;
  labelEn: string;
  zh: string;
  en: string;
}

function draftOf(objection: TPlaybookObjection): Draft {
  return { labelZh: objection.label.zh, labelEn: objection.label.en, zh: objection.zh, en: objection.en };
}

/** The record someone else saved, carried by a 409 answer. */
function currentOf(error: unknown): TPlaybookObjection | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const details = error.details as { current?: TPlaybookObjection } | null | undefined;
  return details?.current ?? null;
}

/**
 * A manager edits an objection: its name and wording in both languages, which response is preferred, and new
 * alternative responses. When someone else saved first, the page shows what they saved and lets the manager
 * keep theirs (apply the edit again on top) or take the current text.
 */
export function EditObjectionModal({ objection, onClose }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = apiLang(format.language);
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const update = useUpdateObjection();
  const prefer = useSetPreferred();
  const add = useAddResponse();
  // The latest version known: each save answers the whole objection.
  const [base, setBase] = useState<TPlaybookObjection | null>(objection);
  const [draft, setDraft] = useState<Draft | null>(objection ? draftOf(objection) : null);
  const [conflict, setConflict] = useState<TPlaybookObjection | null>(null);
  const [saved, setSaved] = useState(false);
  const [newResponse, setNewResponse] = useState({ zh: '', en: '', preferred: false });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setBase(objection);
    setDraft(objection ? draftOf(objection) : null);
    setConflict(null);
    setSaved(false);
    setError(null);
    setNewResponse({ zh: '', en: '', preferred: false });
  }, [objection]);

  function fail(cause: unknown) {
    const current = currentOf(cause);
    if (current) {
      setBase(current);
      return current;
    }
    setError(
      cause instanceof ApiError && cause.isNetworkError ? t('errors.network') : (cause as Error).message,
    );
    return null;
  }

  async function save(version: number) {
    if (!base || !draft) return;
    setError(null);
    setSaved(false);
    try {
      const next = await update.mutateAsync({
        id: base.id,
        body: {
          version,
          label: { zh: draft.labelZh, en: draft.labelEn },
          zh: draft.zh,
          en: draft.en,
        },
      });
      setBase(next);
      setConflict(null);
      setSaved(true);
    } catch (cause) {
      const current = fail(cause);
      if (current) setConflict(current);
    }
  }

  async function choosePreferred(responseId: string) {
    if (!base) return;
    setError(null);
    try {
      setBase(await prefer.mutateAsync({ id: base.id, responseId, version: base.version }));
    } catch (cause) {
      if (fail(cause)) setError(t('playbook.edit.preferredConflict'));
    }
  }

  async function addAlternative(event: FormEvent) {
    event.preventDefault();
    if (!base || (!newResponse.zh.trim() && !newResponse.en.trim())) return;
    setError(null);
    try {
      setBase(await add.mutateAsync({ id: base.id, body: newResponse }));
      setNewResponse({ zh: '', en: '', preferred: false });
    } catch (cause) {
      fail(cause);
    }
  }

  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => (d ? { ...d, [field]: value } : d));
    setSaved(false);
  };
  const preferred = base?.responses.find((r) => r.preferred)?.id ?? null;

  return (
    <Modal
      opened={objection != null}
      onClose={onClose}
      size={760}
      fullScreen={isPhone}
      radius="lg"
      title={
        <Title order={2} fz="h4" component="span">
          {base ? t('playbook.edit.title', { name: objectionTitle(base, lang) }) : ''}
        </Title>
      }
      closeButtonProps={{ 'aria-label': t('playbook.edit.close') }}
    >
      {base && draft && (
        <Stack gap="lg">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void save(base.version);
            }}
          >
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('playbook.edit.labelZh')}
                  value={draft.labelZh}
                  onChange={set('labelZh')}
                  maxLength={60}
                  lang="zh-CN"
                />
                <TextInput
                  label={t('playbook.edit.labelEn')}
                  value={draft.labelEn}
                  onChange={set('labelEn')}
                  maxLength={60}
                  lang="en"
                />
                <Textarea
                  label={t('playbook.edit.textZh')}
                  value={draft.zh}
                  onChange={set('zh')}
                  autosize
                  minRows={2}
                  maxLength={500}
                  lang="zh-CN"
                />
                <Textarea
                  label={t('playbook.edit.textEn')}
                  value={draft.en}
                  onChange={set('en')}
                  autosize
                  minRows={2}
                  maxLength={500}
                  lang="en"
                />
              </SimpleGrid>

              {conflict && (
                <Alert
                  color="orange"
                  variant="light"
                  icon={<Icon name="alert" />}
                  title={t('playbook.edit.conflictTitle')}
                  role="alert"
                  data-testid="edit-conflict"
                >
                  <Stack gap="xs">
                    <Text fz="sm">{t('playbook.edit.conflictBody')}</Text>
                    <Text fz="sm" fw={600}>
                      {objectionTitle(conflict, lang)}
                    </Text>
                    <Text fz="sm">“{conflict.zh}”</Text>
                    <Text fz="sm">“{conflict.en}”</Text>
                    <Group gap="xs">
                      <Button
                        size="xs"
                        onClick={() => void save(conflict.version)}
                        loading={update.isPending}
                      >
                        {t('playbook.edit.keepMine')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          setDraft(draftOf(conflict));
                          setConflict(null);
                        }}
                      >
                        {t('playbook.edit.takeTheirs')}
                      </Button>
                    </Group>
                  </Stack>
                </Alert>
              )}

              <Group justify="flex-end" gap="sm">
                {saved && (
                  <Text fz="sm" c="teal.9" role="status">
                    {t('playbook.edit.saved')}
                  </Text>
                )}
                <Button type="submit" loading={update.isPending} disabled={conflict != null}>
                  {t('playbook.edit.save')}
                </Button>
              </Group>
            </Stack>
          </form>

          <Divider />

          <Radio.Group
            value={preferred}
            onChange={(value) => void choosePreferred(value)}
            label={t('playbook.edit.responses')}
            description={t('playbook.edit.preferredHint')}
          >
            <Stack gap="sm" mt="xs">
              {base.responses.map((response) => (
                <Radio
                  key={response.id}
                  value={response.id}
                  disabled={prefer.isPending}
                  label={
                    <Stack gap={2}>
                      <Group gap={6}>
                        {response.preferred && (
                          <Badge size="xs" color="#066649" radius="sm" tt="none">
                            {t('playbook.preferred')}
                          </Badge>
                        )}
                        <Text fz="xs" c="dimmed">
                          {t('playbook.stats.uses', { count: response.stats.count })}
                        </Text>
                      </Group>
                      <Text fz="sm">{inLang(response, lang)}</Text>
                    </Stack>
                  }
                />
              ))}
            </Stack>
          </Radio.Group>

          <form onSubmit={(event) => void addAlternative(event)}>
            <Stack gap="sm">
              <Title order={3} fz="sm">
                {t('playbook.edit.addTitle')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <Textarea
                  label={t('playbook.edit.responseZh')}
                  value={newResponse.zh}
                  onChange={(e) => setNewResponse((r) => ({ ...r, zh: e.currentTarget.value }))}
                  autosize
                  minRows={3}
                  maxLength={2000}
                  lang="zh-CN"
                />
                <Textarea
                  label={t('playbook.edit.responseEn')}
                  value={newResponse.en}
                  onChange={(e) => setNewResponse((r) => ({ ...r, en: e.currentTarget.value }))}
                  autosize
                  minRows={3}
                  maxLength={2000}
                  lang="en"
                />
              </SimpleGrid>
              <Group justify="space-between" gap="sm">
                <Checkbox
                  label={t('playbook.edit.makePreferred')}
                  checked={newResponse.preferred}
                  onChange={(e) => setNewResponse((r) => ({ ...r, preferred: e.currentTarget.checked }))}
                />
                <Button
                  type="submit"
                  variant="light"
                  loading={add.isPending}
                  disabled={!newResponse.zh.trim() && !newResponse.en.trim()}
                >
                  {t('playbook.edit.add')}
                </Button>
              </Group>
            </Stack>
          </form>

          {error && (
            <Alert color="red" variant="light" role="alert" icon={<Icon name="alert" />}>
              {error}
            </Alert>
          )}
          <Text fz="xs" c="dimmed">
            {t('playbook.edit.versionNote', { version: base.version })}
          </Text>
        </Stack>
      )}
    </Modal>
  );
}
