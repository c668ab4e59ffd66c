import { Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface Props {
  title: string;
  /** Shown after the title, e.g. a count. */
  aside?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  testId?: string;
}

/** A titled card of the account page; the title is the section's heading. */
export function SectionCard({ title, aside, action, children, testId }: Props) {
  const id = `section-${title.replace(/\s+/g, '-')}`;
  return (
    <Paper component="section" withBorder radius="md" p="md" aria-labelledby={id} data-testid={testId}>
      <Group justify="space-between" align="center" mb="sm" gap="xs" wrap="nowrap">
        <Group gap={8} align="baseline" wrap="nowrap" style={{ minWidth: 0 }}>
          <Title order={2} fz="md" id={id}>
            {title}
          </Title>
          {aside != null && (
            <Text fz="sm" c="dimmed" className="tabular">
              {aside}
            </Text>
          )}
        </Group>
        {action}
      </Group>
      {children}
    </Paper>
  );
}
