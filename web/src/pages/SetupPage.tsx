import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { useAuthStatus, useSetup } from '../api/auth.ts';
import { PageLoader } from '../components/PageLoader.tsx';
import { AuthFrame } from '../features/auth/AuthFrame.tsx';
import { authErrorMessage } from '../features/auth/errors.ts';
import { toLanguage } from '../i18n/languages.ts';

/** First run: creates the admin. Only while no user exists; afterwards it sends the browser to sign-in. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const status = useAuthStatus();
  const setup = useSetup();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);

  if (status.isPending) return <PageLoader />;
  if (status.data && !status.data.setupNeeded && !setup.isPending && !setup.isSuccess) {
    return <Navigate to={status.data.user ? '/' : '/sign-in'} replace />;
  }

  const min = status.data?.passwordMinLength ?? 10;
  const tooShort = [...password].length < min;
  const mismatch = password !== confirm;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (tooShort || mismatch || !name.trim() || !email.trim()) return;
    setup.mutate(
      { name, email, password, locale: toLanguage(i18n.resolvedLanguage ?? i18n.language) },
      { onSuccess: () => navigate('/', { replace: true }) },
    );
  };

  return (
    <AuthFrame title={t('auth.setup.title')} intro={t('auth.setup.intro')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {setup.isError ? (
            <Alert color="red" role="alert" title={t('auth.setup.failed')}>
              {authErrorMessage(t, setup.error)}
            </Alert>
          ) : null}
          <TextInput
            label={t('auth.fields.name')}
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={touched && !name.trim() ? t('auth.setup.required') : undefined}
          />
          <TextInput
            label={t('auth.fields.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={touched && !email.trim() ? t('auth.setup.required') : undefined}
          />
          <PasswordInput
            // Mantine names its show/hide button in English only.
            visibilityToggleButtonProps={{ 'aria-label': t('auth.fields.showPassword') }}
            label={t('auth.fields.newPassword')}
            description={t('auth.setup.passwordHint', { min })}
            autoComplete="new-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={touched && tooShort ? t('auth.setup.tooShort', { min }) : undefined}
          />
          <PasswordInput
            // Mantine names its show/hide button in English only.
            visibilityToggleButtonProps={{ 'aria-label': t('auth.fields.showPassword') }}
            label={t('auth.fields.confirmPassword')}
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(event) => setConfirm(event.currentTarget.value)}
            error={touched && mismatch ? t('auth.setup.mismatch') : undefined}
          />
          <Button type="submit" loading={setup.isPending}>
            {t('auth.setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
