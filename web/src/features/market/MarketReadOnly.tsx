import { Alert, Anchor, Group, List, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TMarketDefinition } from '../../../../src/schemas/market-api.ts';
import { useAccounts } from '../../api/accounts.ts';
import { useMarketAuthor, useTiers } from '../../api/market.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { toneAlert } from '../plan/tone.ts';
import { useDescribeCriteria } from './describe-criteria.ts';
import { TierDistribution } from './TierDistribution.tsx';
import { VersionHistory } from './VersionHistory.tsx';

interface Props {
  current: TMarketDefinition | null;
  versions: readonly TMarketDefinition[];
}

/**
 * The target market for someone who may not change it (a rep): the current definition in words, who saved it
 * and when, how many accounts are in it (and how many of them are the viewer's own), the tiers and the
 * versions. Only GET requests a rep may send: no preview, no saving, no re-tiering.
 */
export function MarketReadOnly({ current, versions }: Props) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <Alert
        {...toneAlert('indigo')}
        icon={<Icon name="info" />}
        title={t('market.readOnly.title')}
        data-testid="market-read-only"
      >
        {t('market.readOnly.body')}
      </Alert>
      <CurrentDefinition current={current} />
      <TierDistribution canChange={false} />
      <VersionHistory versions={versions} currentVersion={current?.version ?? null} />
    </Stack>
  );
}

function CurrentDefinition({ current }: { current: TMarketDefinition | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const describe = useDescribeCriteria();
  const author = useMarketAuthor(current?.createdBy);
  const tiers = useTiers();
  // The viewer's own accounts in the market: the accounts list answers within what the viewer may see.
  const mine = useAccounts({ page: 1, pageSize: 1, inMarket: true });
  const parts = current ? describe(current.criteria) : [];
  const inMarket = tiers.data ? tiers.data.A + tiers.data.B + tiers.data.C : null;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="market-definition-title"
      data-testid="market-definition"
    >
      <Stack gap="sm">
        <Title order={2} fz="h4" id="market-definition-title">
          {t('market.readOnly.definitionTitle')}
        </Title>
        {!current ? (
          <Text fz="sm" c="dimmed">
            {t('market.readOnly.none')}
          </Text>
        ) : (
          <>
            <Text fz="sm" c="dimmed" data-testid="market-definition-saved">
              {author.data
                ? t('market.readOnly.savedBy', {
                    version: current.version,
                    date: format.dateTime(current.createdAt),
                    name: author.data,
                  })
                : t('market.readOnly.saved', {
                    version: current.version,
                    date: format.dateTime(current.createdAt),
                  })}
            </Text>
            {parts.length ? (
              <List spacing={4} fz="sm" data-testid="market-definition-criteria">
                {parts.map((part) => (
                  <List.Item key={part}>{part}</List.Item>
                ))}
              </List>
            ) : (
              <Text fz="sm" data-testid="market-definition-criteria">
                {t('market.history.everyone')}
              </Text>
            )}
            {current.note && (
              <Text fz="sm" c="dimmed">
                {current.note}
              </Text>
            )}
            {inMarket == null ? (
              <Skeleton h={40} w="40%" />
            ) : (
              <Group gap={8} align="baseline" wrap="wrap">
                <Text fz={32} fw={700} lh={1} c="indigo.8" data-testid="market-matching">
                  {format.number(inMarket)}
                </Text>
                <Text fz="sm" c="dimmed">
                  {t('market.readOnly.inMarket', { count: inMarket })}
                </Text>
              </Group>
            )}
            {mine.data && (
              <Anchor component={Link} to="/accounts?inMarket=true" fz="sm" data-testid="market-mine">
                {t('market.readOnly.mine', { count: mine.data.total })}
              </Anchor>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
