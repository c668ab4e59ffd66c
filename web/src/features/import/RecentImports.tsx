import {
  Anchor,
  Badge,
  Button,
  Paper,
  ScrollArea,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isDiscardable, type TImportJob, useDiscardImport } from '../../api/imports.ts';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { ConfirmModal } from '../team/ConfirmModal.tsx';

const STATE_TEXT: Record<TImportJob['state'], string> = {
  uploaded: 'gray.8',
  queued: 'gray.8',
  running: 'indigo.9',
  succeeded: STRONG_TEXT.teal,
  failed: STRONG_TEXT.red,
  cancelled: 'gray.8',
};
const STATE_COLOR: Record<TImportJob['state'], string> = {
  uploaded: 'gray',
  queued: 'gray',
  running: 'indigo',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

/**
 * The latest imports, newest first; each opens in the wizard (its progress or its result). An upload that was
 * never started stands apart ("Uploaded, not imported", no counts, when the server removes it): it can be
 * continued in the wizard or discarded. An import that failed can be discarded too (after a confirmation): the job
 * and its file go. A failed import whose file was removed by the server (after TIERLINE_FAILED_IMPORT_TTL_DAYS)
 * says so. The server lists an upload only until it expires (TIERLINE_UPLOAD_TTL_HOURS).
 */
export function RecentImports({
  jobs,
  currentId,
  onDiscarded,
}: {
  jobs: TImportJob[];
  currentId: string | null;
  onDiscarded?: (job: TImportJob) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const discard = useDiscardImport();
  const [discarding, setDiscarding] = useState<TImportJob | null>(null);
  const close = () => setDiscarding(null);
  const unstarted = discarding?.state !== 'failed' && discarding?.state !== 'cancelled';
  return (
    <Paper withBorder radius="md" className="import-table-wrap">
      <ScrollArea
        type="auto"
        offsetScrollbars="x"
        viewportProps={{ tabIndex: 0, role: 'region', 'aria-labelledby': 'recent-imports-heading' }}
      >
        <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="recent-imports" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('import.recent.columns.file')}</Table.Th>
              <Table.Th scope="col">{t('import.recent.columns.when')}</Table.Th>
              <Table.Th scope="col">{t('import.recent.columns.state')}</Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.result.figures.rows')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.result.figures.created')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.result.figures.merged')}
              </Table.Th>
              <Table.Th scope="col" className="numeric">
                {t('import.result.figures.rejected')}
              </Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('import.recent.columns.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.map((job) => {
              const uploaded = job.state === 'uploaded';
              const count = (value: number) => (uploaded ? EMPTY_VALUE : format.number(value));
              return (
                <Table.Tr
                  key={job.id}
                  aria-current={job.id === currentId ? 'true' : undefined}
                  data-state={job.state}
                >
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/import?job=${encodeURIComponent(job.id)}`}
                      fz="sm"
                      fw={600}
                      c="indigo.8"
                    >
                      {job.fileName}
                    </Anchor>
                    {job.dryRun && (
                      <Badge size="xs" variant="outline" color="gray" c="gray.8" ml={6}>
                        {t('import.recent.dryRun')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <Text fz="sm">{format.dateTime(job.finishedAt ?? job.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={STATE_COLOR[job.state]}
                      c={STATE_TEXT[job.state]}
                      variant="light"
                      radius="sm"
                    >
                      {t(`import.recent.states.${job.state}`)}
                    </Badge>
                    {uploaded && job.expiresAt && (
                      <Text fz="xs" c="dimmed" mt={2} data-testid="upload-expires">
                        {t('import.recent.expires', { date: format.dateTime(job.expiresAt) })}
                      </Text>
                    )}
                    {job.fileExpiredAt && (
                      <Tooltip
                        label={t('import.recent.fileExpiredHint', {
                          date: format.dateTime(job.fileExpiredAt),
                        })}
                      >
                        <Badge
                          size="xs"
                          variant="outline"
                          color="gray"
                          c="gray.8"
                          ml={6}
                          tabIndex={0}
                          data-testid="file-expired"
                        >
                          {t('import.recent.fileExpired')}
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td className="numeric">{count(job.counts.rows)}</Table.Td>
                  <Table.Td className="numeric">{count(job.counts.created)}</Table.Td>
                  <Table.Td className="numeric">{count(job.counts.merged)}</Table.Td>
                  <Table.Td className="numeric">{count(job.counts.rejected)}</Table.Td>
                  <Table.Td className="nowrap">
                    {uploaded && job.id !== currentId && (
                      <Button
                        component={Link}
                        to={`/import?job=${encodeURIComponent(job.id)}`}
                        variant="subtle"
                        size="xs"
                        aria-label={t('import.recent.continueLabel', { file: job.fileName })}
                        data-testid="continue-import"
                      >
                        {t('import.recent.continue')}
                      </Button>
                    )}
                    {isDiscardable(job) && (
                      <Button
                        variant="subtle"
                        color="red"
                        c={STRONG_TEXT.red}
                        size="xs"
                        onClick={() => {
                          discard.reset();
                          setDiscarding(job);
                        }}
                        aria-label={t(
                          job.state === 'uploaded'
                            ? 'import.recent.discardLabel'
                            : 'import.recent.discardFailedLabel',
                          { file: job.fileName },
                        )}
                        data-testid="discard-import"
                      >
                        {t('import.recent.discard')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <ConfirmModal
        opened={discarding !== null}
        title={t(unstarted ? 'import.recent.discardTitle' : 'import.recent.discardFailedTitle')}
        confirmLabel={t(unstarted ? 'import.recent.discardConfirm' : 'import.recent.discardFailedConfirm')}
        pending={discard.isPending}
        error={discard.error}
        onClose={close}
        onConfirm={() => {
          const job = discarding;
          if (!job) return;
          discard.mutate(job.id, {
            onSuccess: () => {
              close();
              onDiscarded?.(job);
            },
          });
        }}
      >
        {unstarted
          ? t('import.recent.discardBody', {
              file: discarding?.fileName ?? '',
              date: discarding ? format.dateTime(discarding.createdAt) : '',
            })
          : t('import.recent.discardFailedBody', {
              file: discarding?.fileName ?? '',
              date: discarding ? format.dateTime(discarding.finishedAt ?? discarding.createdAt) : '',
            })}
      </ConfirmModal>
    </Paper>
  );
}
