import { ActionIcon, Group, Kbd, Popover, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons.tsx';

interface Props {
  opened: boolean;
  onChange: (opened: boolean) => void;
}

const SHORTCUTS = [
  { keys: ['j', '↓'], what: 'next' },
  { keys: ['k', '↑'], what: 'previous' },
  { keys: ['1'], what: 'reached' },
  { keys: ['2'], what: 'noAnswer' },
  { keys: ['3'], what: 'meetingBooked' },
  { keys: ['Enter'], what: 'form' },
  { keys: ['o'], what: 'account' },
  { keys: ['['], what: 'previousDay' },
  { keys: [']'], what: 'nextDay' },
  { keys: ['t'], what: 'today' },
  { keys: ['?'], what: 'help' },
] as const;

/** The agenda's keyboard shortcuts, listed in a popover (also opened with "?"). */
export function ShortcutsHelp({ opened, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Popover
      opened={opened}
      onChange={onChange}
      position="bottom-end"
      width={340}
      shadow="md"
      withArrow
      trapFocus
    >
      <Popover.Target>
        <Tooltip label={t('today.shortcuts.button')} openDelay={400} disabled={opened}>
          <ActionIcon
            variant="default"
            size={40}
            radius="md"
            onClick={() => onChange(!opened)}
            aria-label={t('today.shortcuts.button')}
            aria-expanded={opened}
            aria-keyshortcuts="?"
            visibleFrom="sm"
            className="keyboard-hint"
          >
            <Icon name="keyboard" />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown aria-label={t('today.shortcuts.title')}>
        <Text fw={700} fz="sm" mb={4}>
          {t('today.shortcuts.title')}
        </Text>
        <Text fz="xs" c="dimmed" mb="xs">
          {t('today.shortcuts.intro')}
        </Text>
        <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm">
          <Table.Tbody>
            {SHORTCUTS.map((shortcut) => (
              <Table.Tr key={shortcut.what}>
                <Table.Td w={92}>
                  <Group gap={4} wrap="nowrap">
                    {shortcut.keys.map((key) => (
                      <Kbd key={key} size="xs">
                        {key}
                      </Kbd>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{t(`today.shortcuts.keys.${shortcut.what}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Popover.Dropdown>
    </Popover>
  );
}
