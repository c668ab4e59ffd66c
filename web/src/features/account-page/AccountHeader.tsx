import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TAccount } from '../../../../src/schemas/account.ts';
import { Icon } from '../../components/icons.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { StageControl } from './StageControl.tsx';

interface Props {
  account: TAccount;
  onLog: () => void;
}

/** Name, tier and place, the number to call, the stage, and the button that logs a touch. */
export function AccountHeader({ account, onLog }: Props) {
  const { t } = useTranslation();
  const place = [account.province, account.city, account.district]
    .filter((part, index, parts) => part && parts.indexOf(part) === index)
    .join(' · ');
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <Group justify="space-between" align="flex-start" gap="lg" wrap="wrap">
        <Stack gap={8} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={1} fz={{ base: 'h3', sm: 'h2' }} style={{ overflowWrap: 'anywhere' }}>
            {account.name}
          </Title>
          <Group gap={6}>
            <TierBadge tier={account.tier} withName />
            <Badge
              variant="light"
              color={account.inMarket ? 'teal' : 'gray'}
              c={account.inMarket ? STRONG_TEXT.teal : 'gray.8'}
              tt="none"
              radius="sm"
            >
              {account.inMarket ? t('account.inMarketYes') : t('account.inMarketNo')}
            </Badge>
            {account.industry && (
              <Badge variant="outline" color="gray" c="gray.8" tt="none" radius="sm">
                {account.industry}
              </Badge>
            )}
          </Group>
          {place && (
            <Text fz="sm" c="dimmed">
              {place}
            </Text>
          )}
          <Group gap="sm" mt={4} className="account-actions">
            <Button
              onClick={onLog}
              leftSection={<Icon name="pencil" size={18} />}
              size="md"
              aria-haspopup="dialog"
              data-testid="log-touch"
            >
              {t('account.page.logTouch')}
            </Button>
            {account.phone && (
              <Button
                component="a"
                href={`tel:${account.phone.replace(/[^\d+]/g, '')}`}
                variant="default"
                size="md"
                leftSection={<Icon name="phone" size={18} />}
                aria-label={t('today.item.call', { phone: account.phone })}
              >
                {account.phone}
              </Button>
            )}
            {account.website && (
              <Anchor
                href={/^https?:\/\//i.test(account.website) ? account.website : `https://${account.website}`}
                target="_blank"
                rel="noopener noreferrer"
                fz="sm"
              >
                {account.website}
              </Anchor>
            )}
          </Group>
        </Stack>
        <StageControl account={account} />
      </Group>
    </Paper>
  );
}
