import { Box, Center, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LogoMark } from '../../components/icons.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';

/** The frame of the pages before sign-in: the logo, the language switch and one card in the middle. */
export function AuthFrame({
  title,
  intro,
  children,
  aside,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  aside?: ReactNode;
}) {
  const { t } = useTranslation();
  useDocumentTitle(t('app.pageTitle', { page: title }));
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="space-between" px="md" py="sm" wrap="nowrap">
        <Group gap={10} wrap="nowrap">
          <LogoMark />
          <Text fw={700} fz="lg" c="dark.8">
            {t('app.name')}
          </Text>
        </Group>
        <LanguageSwitch />
      </Group>
      <Center component="main" id="main" py="xl" px="sm">
        <Container size={aside ? 'md' : 'xs'} px={0} w="100%">
          <Group align="flex-start" gap="lg" wrap="wrap" justify="center">
            <Paper withBorder radius="lg" p="xl" w={420} maw="100%">
              <Stack gap="md">
                <Title order={1} fz="h2">
                  {title}
                </Title>
                {intro ? <Text c="dimmed">{intro}</Text> : null}
                {children}
              </Stack>
            </Paper>
            {aside}
          </Group>
        </Container>
      </Center>
    </Box>
  );
}
