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
        {/* A long name ends in an ellipsis (the header is narrow on a phone); the full name is its tooltip. */}
        <Button
          variant="subtle"
          color="gray"
          size="xs"
          maw={160}
          miw={0}
          title={user.name}
          styles={{ inner: { minWidth: 0 }, label: { minWidth: 0 } }}
          aria-label={t('auth.menu.label', { name: user.name })}
          data-testid="user-menu"
        >
          <Text fz="sm" fw={600} truncate miw={0}>
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
