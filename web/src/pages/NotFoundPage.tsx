import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../components/page-title.ts';
import { HOME_PATH } from '../navigation.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <Container size="sm" px={0} py="xl">
      <Paper withBorder radius="lg" p="xl">
        <Stack gap="md" align="flex-start">
          <Title order={1} fz="h2">
            {t('notFound.title')}
          </Title>
          <Text>{t('notFound.body')}</Text>
          <Button component={Link} to={HOME_PATH} variant="light">
            {t('notFound.back')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
