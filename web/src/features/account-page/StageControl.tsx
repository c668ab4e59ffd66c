import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccount } from '../../../../src/schemas/account.ts';
import type { TPipelineStage } from '../../../../src/schemas/common.ts';
import { useUpdateStage } from '../../api/account-page.ts';
import { accountKeys } from '../../api/accounts.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import { Icon } from '../../components/icons.tsx';
import { STAGES } from '../accounts/account-view.ts';

/**
 * The pipeline stage, changed by hand and saved with the version read. When someone changed the account in
 * between (409), the current stage is shown and the change can be made again on top of it.
 */
export function StageControl({ account }: { account: TAccount }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const update = useUpdateStage();
  const [conflict, setConflict] = useState<{ wanted: TPipelineStage; current: TAccount } | null>(null);
  const [saved, setSaved] = useState<TPipelineStage | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  function save(stage: TPipelineStage, version: number) {
    setConflict(null);
    setSaved(null);
    setFailure(null);
    update.mutate(
      { id: account.id, version, stage },
      {
        onSuccess: (after) => setSaved(after.stage),
        onError: (error) => {
          const current = conflictCurrent<TAccount>(error);
          if (current) {
            // Show what is there now; the user decides whether their change still applies.
            client.setQueryData(accountKeys.detail(current.id), current);
            setConflict({ wanted: stage, current });
          } else {
            setFailure(error.message);
          }
        },
      },
    );
  }

  const shown = update.isPending && update.variables ? update.variables.stage : account.stage;

  return (
    <Stack gap="xs" w={{ base: '100%', sm: 260 }}>
      <Select
        label={t('account.fields.stage')}
        data={STAGES.map((stage) => ({ value: stage, label: t(`stage.${stage}`) }))}
        value={shown}
        onChange={(value) =>
          value && value !== account.stage && save(value as TPipelineStage, account.version)
        }
        allowDeselect={false}
        disabled={update.isPending}
        size="sm"
        comboboxProps={{ withinPortal: true }}
        data-testid="stage-select"
      />
      <Text fz="xs" c="dimmed" aria-live="polite" mih={16}>
        {update.isPending ? t('account.stageEdit.saving') : saved ? t('account.stageEdit.saved') : ''}
      </Text>
      {conflict && (
        <Alert
          color="orange"
          variant="light"
          icon={<Icon name="alert" />}
          title={t('account.stageEdit.conflictTitle')}
          role="alert"
          data-testid="stage-conflict"
        >
          <Stack gap="xs">
            <Text fz="sm">
              {t('account.stageEdit.conflictBody', { stage: t(`stage.${conflict.current.stage}`) })}
            </Text>
            <Group gap="xs">
              <Button size="xs" onClick={() => save(conflict.wanted, conflict.current.version)}>
                {t('account.stageEdit.retry', { stage: t(`stage.${conflict.wanted}`) })}
              </Button>
              <Button size="xs" variant="default" onClick={() => setConflict(null)}>
                {t('account.stageEdit.keep', { stage: t(`stage.${conflict.current.stage}`) })}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {failure && (
        <Alert
          color="red"
          variant="light"
          icon={<Icon name="alert" />}
          role="alert"
          title={t('account.stageEdit.failed')}
        >
          {failure}
        </Alert>
      )}
    </Stack>
  );
}
