import { Badge, Button, Container, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../components/icons.tsx';
import { type ComingSoonKey, PAGES, type PageKey } from '../navigation.ts';

/** Pages with a description under `comingSoon.*` in the catalogs: every ComingSoonKey is one of them. */
type DescribedPage = ComingSoonKey | Exclude<PageKey, 'accounts' | 'playbook' | 'practice'>;

/** An honest placeholder: what the page will do, and where to go meanwhile (no page needs it right now). */
export function ComingSoonPage({ page }: { page: DescribedPage }) {
  const { t } = useTranslation();
  const icon = PAGES.find((p) => p.key === page)?.icon ?? 'today';
  return (
    <Container size="sm" px={0} py={{ base: 'md', sm: 'xl' }}>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs">
        <Stack gap="md" align="flex-start">
          <ThemeIcon size={52} radius="md" variant="light">
            <Icon name={icon} size={28} />
          </ThemeIcon>
          <Group gap="sm" align="center">
            <Title order={1} fz="h2">
              {t(`nav.${page}`)}
            </Title>
            <Badge variant="light" color="gray" c="gray.8" radius="sm" tt="none">
              {t('comingSoon.badge')}
            </Badge>
          </Group>
          <Text fz="md" lh={1.7}>
            {t(`comingSoon.${page}`)}
          </Text>
          <Text c="dimmed" fz="sm">
            {t('comingSoon.meanwhile')}
          </Text>
          <Button
            component={Link}
            to="/accounts"
            variant="light"
            leftSection={<Icon name="accounts" size={18} />}
          >
            {t('comingSoon.goToAccounts')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
