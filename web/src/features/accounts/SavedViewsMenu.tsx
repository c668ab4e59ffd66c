import { Alert, Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCOUNT_COLUMNS, type TAccountColumn, type TSavedView } from '../../../../src/schemas/saved-view.ts';
import {
  useCreateSavedView,
  useDeleteSavedView,
  useSavedViews,
  useUpdateSavedView,
} from '../../api/saved-views.ts';
import type { AccountView } from './account-view.ts';
import { isSameView, toSavedQuery } from './saved-view-mapping.ts';

interface Props {
  view: AccountView;
  columns: readonly TAccountColumn[];
  onOpen: (saved: TSavedView) => void;
}

/** Null (the default columns) when every column shows, so a view keeps up with columns added later. */
const columnsToSave = (columns: readonly TAccountColumn[]) =>
  columns.length === ACCOUNT_COLUMNS.length ? null : [...columns];

/** The person's saved views: open one, save the current filters, sort and columns, rename or delete. */
export function SavedViewsMenu({ view, columns, onOpen }: Props) {
  const { t } = useTranslation();
  const views = useSavedViews();
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const items = views.data?.items ?? [];
  const active = items.find((saved) => isSameView(view, columns, saved));

  return (
    <>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button variant="default" size="sm" data-testid="saved-views-button">
            {active ? t('accounts.views.active', { name: active.name }) : t('accounts.views.button')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown miw={220}>
          <Menu.Label>{t('accounts.views.label')}</Menu.Label>
          {items.length === 0 && (
            <Text fz="sm" c="dimmed" px="sm" py={4}>
              {views.isLoading ? t('accounts.loading') : t('accounts.views.none')}
            </Text>
          )}
          {items.map((saved) => (
            <Menu.Item
              key={saved.id}
              onClick={() => onOpen(saved)}
              fw={saved.id === active?.id ? 700 : undefined}
              aria-current={saved.id === active?.id ? 'true' : undefined}
            >
              {saved.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setSaving(true)}>{t('accounts.views.save')}</Menu.Item>
          <Menu.Item onClick={() => setManaging(true)} disabled={items.length === 0}>
            {t('accounts.views.manage')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SaveViewModal opened={saving} onClose={() => setSaving(false)} view={view} columns={columns} />
      <ManageViewsModal
        opened={managing}
        onClose={() => setManaging(false)}
        items={items}
        view={view}
        columns={columns}
      />
    </>
  );
}

function SaveViewModal({
  opened,
  onClose,
  view,
  columns,
}: {
  opened: boolean;
  onClose: () => void;
  view: AccountView;
  columns: readonly TAccountColumn[];
}) {
  const { t } = useTranslation();
  const create = useCreateSavedView();
  const [name, setName] = useState('');
  const close = () => {
    setName('');
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, query: toSavedQuery(view), columns: columnsToSave(columns) }, { onSuccess: close });
  };
  return (
    <Modal opened={opened} onClose={close} title={t('accounts.views.saveTitle')}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text fz="sm" c="dimmed">
            {t('accounts.views.saveHint')}
          </Text>
          <TextInput
            label={t('accounts.views.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={80}
            required
            data-autofocus
            error={create.error?.message}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('accounts.views.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              {t('accounts.views.saveButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ManageViewsModal({
  opened,
  onClose,
  items,
  view,
  columns,
}: {
  opened: boolean;
  onClose: () => void;
  items: readonly TSavedView[];
  view: AccountView;
  columns: readonly TAccountColumn[];
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('accounts.views.manageTitle')} size="lg">
      <Stack gap="md">
        {items.map((saved) => (
          <ManagedView key={`${saved.id}:${saved.version}`} saved={saved} view={view} columns={columns} />
        ))}
        {items.length === 0 && <Text c="dimmed">{t('accounts.views.none')}</Text>}
      </Stack>
    </Modal>
  );
}

function ManagedView({
  saved,
  view,
  columns,
}: {
  saved: TSavedView;
  view: AccountView;
  columns: readonly TAccountColumn[];
}) {
  const { t } = useTranslation();
  const update = useUpdateSavedView();
  const remove = useDeleteSavedView();
  const [name, setName] = useState(saved.name);
  const rename = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: saved.id, version: saved.version, name });
  };
  return (
    <form onSubmit={rename}>
      <Stack gap={6}>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            label={t('accounts.views.renameLabel', { name: saved.name })}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={80}
            style={{ flex: '1 1 200px' }}
          />
          <Button
            type="submit"
            variant="light"
            loading={update.isPending}
            disabled={!name.trim() || name === saved.name}
          >
            {t('accounts.views.rename')}
          </Button>
          <Button
            variant="default"
            onClick={() =>
              update.mutate({
                id: saved.id,
                version: saved.version,
                query: toSavedQuery(view),
                columns: columnsToSave(columns),
              })
            }
            aria-label={t('accounts.views.replaceLabel', { name: saved.name })}
          >
            {t('accounts.views.replace')}
          </Button>
          <Button
            color="red"
            variant="subtle"
            loading={remove.isPending}
            onClick={() => remove.mutate(saved.id)}
            aria-label={t('accounts.views.deleteLabel', { name: saved.name })}
          >
            {t('accounts.views.delete')}
          </Button>
        </Group>
        {(update.error || remove.error) && (
          <Alert color="red" variant="light" role="alert">
            {(update.error ?? remove.error)?.message}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
