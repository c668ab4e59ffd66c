import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type AccountListParams, accountExportHref } from '../../api/accounts.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';

interface Props {
  params: Omit<AccountListParams, 'page' | 'pageSize'>;
  total: number | null;
}

/** Downloads every account the list shows (all pages, the same filters and sort) as CSV or Excel. */
export function ExportMenu({ params, total }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          size="sm"
          leftSection={<Icon name="download" size={16} />}
          disabled={total === 0}
        >
          {t('accounts.export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('accounts.export.label', { count: total ?? 0 })}</Menu.Label>
        <Menu.Item component="a" href={accountExportHref(params, 'csv', format.language)} download>
          {t('accounts.export.csv')}
        </Menu.Item>
        <Menu.Item component="a" href={accountExportHref(params, 'xlsx', format.language)} download>
          {t('accounts.export.xlsx')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
