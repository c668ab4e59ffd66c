import { Notification, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons.tsx';
import { dismissToast, holdToast, useToasts } from './toast.ts';

/**
 * The confirmations of logged touches, bottom right (full width on a phone). The polite live region is always
 * in the page, so a screen reader announces each confirmation as it appears; errors are announced at once.
 */
export function Toaster() {
  const { t } = useTranslation();
  const toasts = useToasts();
  return (
    <div className="toaster">
      <Stack gap="xs" role="status" aria-live="polite" aria-atomic="false">
        {toasts
          .filter((toast) => toast.tone !== 'error')
          .map((toast) => (
            <Notification
              key={toast.id}
              title={toast.title}
              color={toast.tone === 'kept' ? 'blue' : 'teal'}
              icon={<Icon name={toast.tone === 'kept' ? 'history' : 'check'} size={18} />}
              withBorder
              radius="md"
              classNames={{ description: 'toast-description' }}
              closeButtonProps={{ 'aria-label': t('logForm.dismiss') }}
              onClose={() => dismissToast(toast.id)}
              onMouseEnter={() => holdToast(toast.id, true)}
              onMouseLeave={() => holdToast(toast.id, false)}
              onFocus={() => holdToast(toast.id, true)}
              onBlur={() => holdToast(toast.id, false)}
            >
              {toast.message}
            </Notification>
          ))}
      </Stack>
      <Stack gap="xs" role="alert" aria-live="assertive">
        {toasts
          .filter((toast) => toast.tone === 'error')
          .map((toast) => (
            <Notification
              key={toast.id}
              title={toast.title}
              color="red"
              icon={<Icon name="alert" size={18} />}
              withBorder
              radius="md"
              classNames={{ description: 'toast-description' }}
              closeButtonProps={{ 'aria-label': t('logForm.dismiss') }}
              onClose={() => dismissToast(toast.id)}
              onMouseEnter={() => holdToast(toast.id, true)}
              onMouseLeave={() => holdToast(toast.id, false)}
            >
              {toast.message}
            </Notification>
          ))}
      </Stack>
    </div>
  );
}
