import {
  Alert,
  Button,
  Divider,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { TAuthStatus } from '../../../src/schemas/auth.ts';
import { useAuthStatus, useSignIn } from '../api/auth.ts';
import { PageLoader } from '../components/PageLoader.tsx';
import { AuthFrame } from '../features/auth/AuthFrame.tsx';
import { authErrorMessage } from '../features/auth/errors.ts';
import { safeNext } from '../features/auth/next-path.ts';

type DemoHint = NonNullable<TAuthStatus['demo']>;

/** The demo people, each a button that fills in the form. */
function DemoHints({ demo, onPick }: { demo: DemoHint; onPick: (email: string, password: string) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" w={320} maw="100%" component="section" aria-labelledby="demo-hints-title">
      <Title order={2} fz="h4" id="demo-hints-title">
        {t('auth.demo.title')}
      </Title>
      <Text fz="sm">{t('auth.demo.body', { password: demo.password })}</Text>
      <Stack gap={6}>
        {demo.users.map((user) => (
          <UnstyledButton
            key={user.email}
            onClick={() => onPick(user.email, demo.password)}
            p="sm"
            style={{
              border: '1px solid var(--mantine-color-gray-3)',
              borderRadius: 'var(--mantine-radius-md)',
            }}
            aria-label={t('auth.demo.use', { name: user.name })}
          >
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text fw={600} fz="sm">
                {user.name}
              </Text>
              <Text fz="xs" c="dimmed">
                {t(`auth.roles.${user.role}`)}
              </Text>
            </Group>
            <Text fz="xs" c="dimmed">
              {user.email}
            </Text>
          </UnstyledButton>
        ))}
      </Stack>
    </Stack>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const status = useAuthStatus();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (status.isPending) return <PageLoader />;
  if (status.data?.setupNeeded) return <Navigate to="/setup" replace />;
  if (status.data?.user && !signIn.isPending) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) });
  };
  const demo = status.data?.demo ?? null;

  return (
    <AuthFrame
      title={t('auth.signIn.title')}
      intro={t('auth.signIn.intro')}
      aside={
        demo ? (
          <DemoHints
            demo={demo}
            onPick={(demoEmail, demoPassword) => {
              setEmail(demoEmail);
              setPassword(demoPassword);
            }}
          />
        ) : undefined
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {signIn.isError ? (
            <Alert color="red" role="alert" title={t('auth.signIn.failed')}>
              {authErrorMessage(t, signIn.error)}
            </Alert>
          ) : null}
          <TextInput
            label={t('auth.fields.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            // Mantine names its show/hide button in English only.
            visibilityToggleButtonProps={{ 'aria-label': t('auth.fields.showPassword') }}
            label={t('auth.fields.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={signIn.isPending} disabled={!email || !password}>
            {t('auth.signIn.submit')}
          </Button>
        </Stack>
      </form>
      <Divider />
      <Text fz="xs" c="dimmed">
        {t('auth.signIn.help')}
      </Text>
    </AuthFrame>
  );
}
