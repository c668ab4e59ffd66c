import { Button, Menu, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuthStatus, useSignOut } from '../../api/auth.ts';

/** The signed-in person in the header, with sign-out (this browser, or every device). */
export function UserMenu() {
  const { t } = useTranslation();
  const status = useAuthStatus();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const user = status.data?.user;
  if (!user) return null;
  const leave = (scope: 'this' | 'everywhere') =>
    signOut.mutate(scope, { onSettled: () => navigate('/sign-in', { replace: true }) });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="xs"
          aria-label={t('auth.menu.label', { name: user.name })}
        >
          <Text fz="sm" fw={600} truncate maw={160}>
            {user.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.email} · {t(`auth.roles.${user.role}`)}
        </Menu.Label>
        <Menu.Item onClick={() => leave('this')} disabled={signOut.isPending}>
          {t('auth.menu.signOut')}
        </Menu.Item>
        <Menu.Item onClick={() => leave('everywhere')} disabled={signOut.isPending}>
          {t('auth.menu.signOutEverywhere')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
