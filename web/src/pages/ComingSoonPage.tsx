import { Badge, Button, Container, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../components/icons.tsx';
import { type ComingSoonKey, PAGES } from '../navigation.ts';

/** An honest placeholder: what the page will do, and where to go meanwhile. */
export function ComingSoonPage({ page }: { page: ComingSoonKey }) {
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
          {page === 'team' && (
            // The team's skill stages are built already (/team/skills); the people admin is still coming.
            <Paper withBorder radius="md" p="md" w="100%" bg="indigo.0">
              <Stack gap={6} align="flex-start">
                <Text fw={600}>{t('skills.team.link')}</Text>
                <Text fz="sm">{t('skills.team.linkBody')}</Text>
                <Button
                  component={Link}
                  to="/team/skills"
                  variant="filled"
                  leftSection={<Icon name="practice" size={18} />}
                  data-testid="team-skills-link"
                >
                  {t('skills.team.title')}
                </Button>
              </Stack>
            </Paper>
          )}
        </Stack>
      </Paper>
    </Container>
  );
}
