import { Button, Checkbox, Popover, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ACCOUNT_COLUMNS, type TAccountColumn } from '../../../../src/schemas/saved-view.ts';

interface Props {
  columns: readonly TAccountColumn[];
  onChange: (columns: TAccountColumn[]) => void;
}

/** Which columns the table shows (the name always); kept in the URL and in saved views. */
export function ColumnsMenu({ columns, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Popover position="bottom-end" withinPortal shadow="md" trapFocus>
      <Popover.Target>
        <Button variant="default" size="sm">
          {t('accounts.columnsMenu.button', { count: columns.length + 1 })}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group
          label={t('accounts.columnsMenu.label')}
          value={[...columns]}
          onChange={(values) => onChange(ACCOUNT_COLUMNS.filter((c) => values.includes(c)))}
        >
          <Stack gap={6} mt="xs">
            {ACCOUNT_COLUMNS.map((column) => (
              <Checkbox key={column} value={column} label={t(`accounts.columns.${column}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
