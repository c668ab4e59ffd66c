import { Badge, Button, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TMarketDefinition } from '../../../../src/schemas/market-api.ts';
import { Icon } from '../../components/icons.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { useDescribeCriteria } from './describe-criteria.ts';

interface Props {
  versions: readonly TMarketDefinition[];
  currentVersion: number | null;
  /** Loads a version's criteria into the form (to go back to it, or start from it); without it, only a list. */
  onUse?: (definition: TMarketDefinition) => void;
}

/** Every saved definition, newest first: when, how many matched, whether it widened, and why. */
export function VersionHistory({ versions, currentVersion, onUse }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const describe = useDescribeCriteria();
  const sorted = [...versions].sort((a, b) => b.version - a.version);

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="market-history-title">
      <Stack gap="sm">
        <Title order={2} fz="h4" id="market-history-title">
          {t('market.history.title')}
        </Title>
        {sorted.length === 0 ? (
          <Text c="dimmed" fz="sm">
            {t('market.history.empty')}
          </Text>
        ) : (
          <ScrollTable minWidth={720} labelledBy="market-history-title">
            <Table verticalSpacing="sm" fz="sm" data-testid="market-versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('market.history.version')}</Table.Th>
                  <Table.Th scope="col">{t('market.history.criteria')}</Table.Th>
                  <Table.Th scope="col" className="numeric">
                    {t('market.history.matching')}
                  </Table.Th>
                  <Table.Th scope="col">{t('market.history.savedAt')}</Table.Th>
                  {onUse && (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t('market.history.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((definition) => {
                  const parts = describe(definition.criteria);
                  const current = definition.version === currentVersion;
                  return (
                    <Table.Tr key={definition.id}>
                      <Table.Td className="nowrap" valign="top">
                        <Stack gap={4} align="flex-start">
                          <Text fw={700} fz="sm">
                            {t('market.history.versionLabel', { version: definition.version })}
                          </Text>
                          {current && (
                            <Badge size="sm" variant="light" color="indigo" radius="sm" tt="none">
                              {t('market.history.current')}
                            </Badge>
                          )}
                          {definition.isWidening && (
                            <Badge
                              size="sm"
                              variant="light"
                              color="orange"
                              c={STRONG_TEXT.orange}
                              radius="sm"
                              tt="none"
                            >
                              {t('market.history.widened')}
                            </Badge>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td valign="top">
                        <Text fz="sm">
                          {parts.length
                            ? parts.join(t('market.describe.separator'))
                            : t('market.history.everyone')}
                        </Text>
                        {definition.note && (
                          <Text fz="xs" c="dimmed" mt={2}>
                            {definition.note}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td className="numeric" valign="top" fw={600}>
                        {format.number(definition.matching)}
                      </Table.Td>
                      <Table.Td className="nowrap" valign="top">
                        {format.dateTime(definition.createdAt)}
                      </Table.Td>
                      {onUse && (
                        <Table.Td valign="top" ta="right">
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            leftSection={<Icon name="history" size={14} />}
                            onClick={() => onUse(definition)}
                          >
                            {t('market.history.use')}
                            <VisuallyHidden>
                              {t('market.history.useLabel', { version: definition.version })}
                            </VisuallyHidden>
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Stack>
    </Paper>
  );
}
