import {
  Button,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TUser, TUserCreate, TUserUpdate } from '../../../../src/schemas/people.ts';
import { MAX_CALLS_PER_DAY, MAX_VISITS_PER_DAY } from '../../../../src/schemas/plan.ts';
import { useAuthStatus } from '../../api/auth.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import { type TPersonOverview, type TTeam, useCreateUser, useUpdateUser } from '../../api/people.ts';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n/languages.ts';
import { FormFooter } from './FormFooter.tsx';
import { EMAIL_PATTERN, errorField, type Viewer } from './people-view.ts';

type Role = 'admin' | 'manager' | 'rep';

interface Draft {
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  password: string;
  locale: Language;
  callsPerDay: number | '';
  visitsPerDay: number | '';
}

/** The API's limits (one for every capacity: src/schemas/plan.ts). */
const LIMITS = { callsPerDay: MAX_CALLS_PER_DAY, visitsPerDay: MAX_VISITS_PER_DAY } as const;

function draftOf(person: TUser | null, viewer: Viewer, teams: TTeam[]): Draft {
  return {
    name: person?.name ?? '',
    email: person?.email ?? '',
    role: person?.role ?? 'rep',
    teamId: person ? person.teamId : (viewer.teamId ?? teams[0]?.id ?? null),
    password: '',
    locale: (person?.locale as Language | undefined) ?? 'zh-CN',
    callsPerDay: person?.callsPerDay ?? '',
    visitsPerDay: person?.visitsPerDay ?? '',
  };
}

/** Add a person (admins: any role; managers: reps of their team) or change one. */
export function PersonFormModal({
  opened,
  person,
  viewer,
  teams,
  onClose,
}: {
  opened: boolean;
  /** null: a new person. */
  person: TPersonOverview | null;
  viewer: Viewer;
  teams: TTeam[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('people.close') }}
      opened={opened}
      onClose={onClose}
      title={person ? t('people.form.editTitle', { name: person.name }) : t('people.form.addTitle')}
      size="lg"
    >
      {/* Mounted afresh each time it opens, so the draft starts from the person shown. */}
      {opened && <PersonForm person={person} viewer={viewer} teams={teams} onDone={onClose} />}
    </Modal>
  );
}

function PersonForm({
  person,
  viewer,
  teams,
  onDone,
}: {
  person: TPersonOverview | null;
  viewer: Viewer;
  teams: TTeam[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const auth = useAuthStatus();
  const minPassword = auth.data?.passwordMinLength ?? 10;
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = person ? update : create;
  const [draft, setDraft] = useState<Draft>(() => draftOf(person, viewer, teams));
  const [submitted, setSubmitted] = useState(false);
  // The version this edit is made on: the person as opened, or as someone else saved them meanwhile (409).
  const [base, setBase] = useState<TUser | null>(person);
  const [conflict, setConflict] = useState(false);
  const isAdmin = viewer.role === 'admin';
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const capacityError = (value: number | '', max: number) =>
    value !== '' && (!Number.isInteger(value) || value < 0 || value > max)
      ? t('people.form.capacityRange', { max })
      : null;
  const errors: Partial<Record<keyof Draft, string>> = {
    name: draft.name.trim() ? undefined : t('people.form.nameRequired'),
    email: EMAIL_PATTERN.test(draft.email.trim()) ? undefined : t('people.form.emailInvalid'),
    password:
      draft.password !== '' && draft.password.length < minPassword
        ? t('people.form.passwordShort', { count: minPassword })
        : undefined,
    callsPerDay: capacityError(draft.callsPerDay, LIMITS.callsPerDay) ?? undefined,
    visitsPerDay: capacityError(draft.visitsPerDay, LIMITS.visitsPerDay) ?? undefined,
  };
  const valid = Object.values(errors).every((e) => !e);
  // The server's refusal, shown beside the field it names (or above the buttons).
  const serverField = errorField(mutation.error);
  const serverError = (field: keyof Draft) =>
    serverField === field && mutation.error ? mutation.error.message : undefined;
  const shown = (field: keyof Draft) => (submitted ? errors[field] : undefined) ?? serverError(field);

  const save = () => {
    setSubmitted(true);
    if (!valid) return;
    const capacity = (value: number | '') => (value === '' ? null : value);
    if (base) {
      const patch: TUserUpdate = {
        version: base.version,
        name: draft.name.trim(),
        callsPerDay: capacity(draft.callsPerDay),
        visitsPerDay: capacity(draft.visitsPerDay),
        ...(draft.teamId !== base.teamId && draft.teamId ? { teamId: draft.teamId } : {}),
        ...(isAdmin && draft.email.trim() !== base.email ? { email: draft.email.trim() } : {}),
        ...(isAdmin && draft.role !== base.role ? { role: draft.role } : {}),
        ...(isAdmin && draft.password ? { password: draft.password } : {}),
      };
      setConflict(false);
      update.mutate(
        { id: base.id, patch },
        {
          onSuccess: onDone,
          onError: (error) => {
            const current = conflictCurrent<TUser>(error);
            if (current) {
              setBase(current);
              setConflict(true);
            }
          },
        },
      );
    } else {
      const input: TUserCreate = {
        name: draft.name.trim(),
        email: draft.email.trim(),
        role: isAdmin ? draft.role : 'rep',
        teamId: draft.teamId,
        locale: draft.locale,
        callsPerDay: capacity(draft.callsPerDay),
        visitsPerDay: capacity(draft.visitsPerDay),
        ...(draft.password ? { password: draft.password } : {}),
      };
      create.mutate(input, { onSuccess: onDone });
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save();
  };

  const roles: Role[] = isAdmin ? ['rep', 'manager', 'admin'] : ['rep'];
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={person ? t('people.form.editTitle', { name: person.name }) : t('people.form.addTitle')}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t('people.form.name')}
            value={draft.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={shown('name')}
            required
            autoComplete="off"
            data-autofocus
          />
          <TextInput
            label={t('people.form.email')}
            type="email"
            value={draft.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={shown('email')}
            required
            disabled={person !== null && !isAdmin}
            autoComplete="off"
          />
          <Select
            label={t('people.form.role')}
            data={roles.map((role) => ({ value: role, label: t(`auth.roles.${role}`) }))}
            value={draft.role}
            onChange={(value) => value && set('role', value as Role)}
            allowDeselect={false}
            disabled={!isAdmin}
            error={serverError('role')}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('people.form.team')}
            data={teams.map((team) => ({ value: team.id, label: team.name }))}
            value={draft.teamId}
            onChange={(value) => set('teamId', value)}
            placeholder={t('people.form.noTeam')}
            clearable={isAdmin}
            allowDeselect={false}
            error={serverError('teamId')}
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput
            label={t('people.form.callsPerDay')}
            description={t('people.form.capacityHint')}
            value={draft.callsPerDay}
            onChange={(value) => set('callsPerDay', value === '' ? '' : Number(value))}
            min={0}
            max={LIMITS.callsPerDay}
            allowDecimal={false}
            allowNegative={false}
            error={shown('callsPerDay')}
          />
          <NumberInput
            label={t('people.form.visitsPerDay')}
            description={t('people.form.capacityHint')}
            value={draft.visitsPerDay}
            onChange={(value) => set('visitsPerDay', value === '' ? '' : Number(value))}
            min={0}
            max={LIMITS.visitsPerDay}
            allowDecimal={false}
            allowNegative={false}
            error={shown('visitsPerDay')}
          />
          {!person && (
            <Select
              label={t('people.form.language')}
              data={LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
              value={draft.locale}
              onChange={(value) => value && set('locale', value as Language)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {(!person || isAdmin) && (
            <PasswordInput
              // Mantine names its show/hide button in English only.
              visibilityToggleButtonProps={{ 'aria-label': t('auth.fields.showPassword') }}
              label={person ? t('people.form.newPassword') : t('people.form.password')}
              description={t('people.form.passwordHint', { count: minPassword })}
              value={draft.password}
              onChange={(e) => set('password', e.currentTarget.value)}
              error={shown('password')}
              autoComplete="new-password"
            />
          )}
        </SimpleGrid>
        {conflict && base && (
          <VersionConflictAlert
            record="person"
            onRetry={save}
            onDiscard={() => {
              setDraft(draftOf(base, viewer, teams));
              setConflict(false);
              update.reset();
            }}
            retrying={update.isPending}
          >
            <Text fz="sm" data-testid="conflict-current">
              {base.name} · {t(`auth.roles.${base.role}`)} ·{' '}
              {teams.find((team) => team.id === base.teamId)?.name ?? t('people.form.noTeam')}
            </Text>
          </VersionConflictAlert>
        )}
        <FormFooter error={!conflict && !serverField && mutation.error} onCancel={onDone}>
          <Button type="submit" loading={mutation.isPending}>
            {person ? t('people.form.save') : t('people.form.add')}
          </Button>
        </FormFooter>
      </Stack>
    </form>
  );
}
