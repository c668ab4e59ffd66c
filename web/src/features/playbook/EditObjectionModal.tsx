import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  Radio,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { type FormProblem, formProblem, noProblem } from '../../api/form-errors.ts';
import {
  type TPlaybookObjection,
  useAddResponse,
  useSetPreferred,
  useUpdateObjection,
  useUpdateResponse,
} from '../../api/playbook.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { type Bilingual, BilingualFields, EMPTY_BILINGUAL, type Lang } from './BilingualFields.tsx';
import { apiLang, inLang, objectionTitle } from './text.ts';

interface Props {
  objection: TPlaybookObjection | null;
  onClose: () => void;
}

interface ResponseDraft extends Bilingual {
  id: string;
}

interface Draft {
  label: Bilingual;
  text: Bilingual;
}

function draftOf(objection: TPlaybookObjection): Draft {
  return {
    label: { zh: objection.label.zh, en: objection.label.en },
    text: { zh: objection.zh, en: objection.en },
  };
}

/** The record someone else saved, carried by a 409 answer. */
function currentOf(error: unknown): TPlaybookObjection | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const details = error.details as { current?: TPlaybookObjection } | null | undefined;
  return details?.current ?? null;
}

/**
 * A manager edits an objection: its name and wording in both languages, which response is preferred, the text
 * of each response, and new alternative responses. When someone else saved the objection first, the page shows
 * what they saved and lets the manager keep theirs (apply the edit again on top) or take the current text; a
 * response someone else changed is reloaded in the list and saving again replaces it.
 */
export function EditObjectionModal({ objection, onClose }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = apiLang(format.language);
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const update = useUpdateObjection();
  const prefer = useSetPreferred();
  const add = useAddResponse();
  const updateResponse = useUpdateResponse();
  // The latest version known: each save answers the whole objection.
  const [base, setBase] = useState<TPlaybookObjection | null>(objection);
  const [draft, setDraft] = useState<Draft | null>(objection ? draftOf(objection) : null);
  const [conflict, setConflict] = useState<TPlaybookObjection | null>(null);
  const [saved, setSaved] = useState(false);
  const [newResponse, setNewResponse] = useState({ ...EMPTY_BILINGUAL, preferred: false });
  const [addProblem, setAddProblem] = useState<FormProblem>(noProblem());
  const [editingResponse, setEditingResponse] = useState<ResponseDraft | null>(null);
  const [responseProblem, setResponseProblem] = useState<FormProblem>(noProblem());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setBase(objection);
    setDraft(objection ? draftOf(objection) : null);
    setConflict(null);
    setSaved(false);
    setError(null);
    setNewResponse({ ...EMPTY_BILINGUAL, preferred: false });
    setAddProblem(noProblem());
    setEditingResponse(null);
    setResponseProblem(noProblem());
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
          label: draft.label,
          zh: draft.text.zh,
          en: draft.text.en,
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
    if (!base) return;
    if (!newResponse.zh.trim() && !newResponse.en.trim()) {
      setAddProblem({ fields: { zh: t('playbook.edit.responseRequired') }, message: null });
      return;
    }
    setError(null);
    setAddProblem(noProblem());
    try {
      setBase(await add.mutateAsync({ id: base.id, body: newResponse }));
      setNewResponse({ ...EMPTY_BILINGUAL, preferred: false });
    } catch (cause) {
      setAddProblem(formProblem(cause, t('errors.network')));
    }
  }

  /**
   * Saves a response's text with the version last seen in this editor. When someone else changed it, the list
   * shows what is saved now and the editor keeps the manager's text: saving again replaces theirs.
   */
  async function saveResponse(event: FormEvent) {
    event.preventDefault();
    if (!base || !editingResponse) return;
    const { id, zh, en } = editingResponse;
    if (!zh.trim() && !en.trim()) {
      setResponseProblem({ fields: { zh: t('playbook.edit.responseRequired') }, message: null });
      return;
    }
    const version = base.responses.find((r) => r.id === id)?.version ?? 1;
    setError(null);
    setResponseProblem(noProblem());
    try {
      setBase(await updateResponse.mutateAsync({ id: base.id, responseId: id, body: { version, zh, en } }));
      setEditingResponse(null);
    } catch (cause) {
      const current = currentOf(cause);
      if (current) {
        setBase(current);
        setResponseProblem({ fields: {}, message: t('playbook.edit.responseConflict') });
      } else {
        setResponseProblem(formProblem(cause, t('errors.network')));
      }
    }
  }

  const set = (part: keyof Draft) => (lang: Lang, value: string) => {
    setDraft((d) => (d ? { ...d, [part]: { ...d[part], [lang]: value } } : d));
    setSaved(false);
  };
  // While the choice is being saved the radio shows it; a refusal puts back what is saved.
  const preferred =
    (prefer.isPending ? prefer.variables?.responseId : undefined) ??
    base?.responses.find((r) => r.preferred)?.id ??
    null;

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
              <BilingualFields kind="label" value={draft.label} onChange={set('label')} />
              <BilingualFields kind="text" value={draft.text} onChange={set('text')} />

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
              {base.responses.map((response) =>
                editingResponse?.id === response.id ? (
                  <form
                    key={response.id}
                    onSubmit={(event) => void saveResponse(event)}
                    data-testid="response-editor"
                    noValidate
                  >
                    <Stack gap="xs">
                      <BilingualFields
                        kind="response"
                        value={editingResponse}
                        onChange={(lang, text) => setEditingResponse((r) => (r ? { ...r, [lang]: text } : r))}
                        error={{ zh: responseProblem.fields.zh, en: responseProblem.fields.en }}
                      />
                      {responseProblem.message && (
                        <Alert color="orange" variant="light" role="alert" icon={<Icon name="alert" />}>
                          <Stack gap={4}>
                            <Text fz="sm">{responseProblem.message}</Text>
                            <Text fz="sm">“{inLang(response, lang)}”</Text>
                          </Stack>
                        </Alert>
                      )}
                      <Group justify="flex-end" gap="xs">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            setEditingResponse(null);
                            setResponseProblem(noProblem());
                          }}
                        >
                          {t('playbook.edit.cancelResponse')}
                        </Button>
                        <Button size="xs" type="submit" loading={updateResponse.isPending}>
                          {t('playbook.edit.saveResponse')}
                        </Button>
                      </Group>
                    </Stack>
                  </form>
                ) : (
                  <Group key={response.id} gap="xs" align="flex-start" wrap="nowrap">
                    <Radio
                      value={response.id}
                      disabled={prefer.isPending}
                      style={{ flex: 1, minWidth: 0 }}
                      data-testid="response-option"
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
                    <Button
                      size="xs"
                      variant="subtle"
                      leftSection={<Icon name="pencil" size={14} />}
                      disabled={editingResponse != null}
                      onClick={() => {
                        setResponseProblem(noProblem());
                        setEditingResponse({ id: response.id, zh: response.zh, en: response.en });
                      }}
                      aria-label={t('playbook.edit.editResponseNamed', {
                        text: inLang(response, lang).slice(0, 40),
                      })}
                    >
                      {t('playbook.edit.editResponse')}
                    </Button>
                  </Group>
                ),
              )}
            </Stack>
          </Radio.Group>

          <form onSubmit={(event) => void addAlternative(event)} noValidate>
            <Stack gap="sm">
              <Title order={3} fz="sm">
                {t('playbook.edit.addTitle')}
              </Title>
              <BilingualFields
                kind="response"
                value={newResponse}
                onChange={(lang, text) => setNewResponse((r) => ({ ...r, [lang]: text }))}
                error={{ zh: addProblem.fields.zh ?? addProblem.fields.code, en: addProblem.fields.en }}
              />
              <Group justify="space-between" gap="sm">
                <Checkbox
                  label={t('playbook.edit.makePreferred')}
                  checked={newResponse.preferred}
                  onChange={(e) => {
                    const preferred = e.currentTarget.checked;
                    setNewResponse((r) => ({ ...r, preferred }));
                  }}
                />
                <Button type="submit" variant="light" loading={add.isPending}>
                  {t('playbook.edit.add')}
                </Button>
              </Group>
              {addProblem.message && (
                <Alert color="red" variant="light" role="alert" icon={<Icon name="alert" />}>
                  {addProblem.message}
                </Alert>
              )}
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
