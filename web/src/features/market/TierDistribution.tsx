import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TTier } from '../../../../src/schemas/common.ts';
import type { TTierCounts } from '../../../../src/schemas/market-api.ts';
import { useRetier, useTiers } from '../../api/market.ts';
import { useWorkspaceSettings } from '../../api/workspace-settings.ts';
import { Icon } from '../../components/icons.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';

const TIER_COLOR: Record<TTier, string> = { A: 'red.7', B: 'orange.6', C: 'blue.6' };

interface Props {
  /** The viewer may re-tier and change the rule (managers and admins); otherwise the section only reads. */
  canChange?: boolean;
}

/** How the in-market accounts split into A, B and C (method §2), with the cut that did it and a re-tier. */
export function TierDistribution({ canChange = true }: Props) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const tiers = useTiers();
  const settings = useWorkspaceSettings();
  const retier = useRetier();
  const counts: TTierCounts | undefined = tiers.data;
  const inMarket = counts ? counts.A + counts.B + counts.C : 0;
  const cut = settings.data?.tiering.cut;

  const explanation = !cut
    ? null
    : cut.method === 'rank'
      ? t('market.tiers.rankCut', {
          a: cut.aPercent,
          b: cut.bPercent,
          c: Math.max(0, 100 - cut.aPercent - cut.bPercent),
        })
      : t('market.tiers.thresholdCut', { a: format.money(cut.aMinScore), b: format.money(cut.bMinScore) });

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="market-tiers-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div>
            <Title order={2} fz="h4" id="market-tiers-title">
              {t('market.tiers.title')}
            </Title>
            <Text fz="sm" c="dimmed" maw={680} mt={4}>
              {explanation ?? t('market.tiers.loadingCut')} {t('market.tiers.score')}
            </Text>
          </div>
          {canChange && (
            <Group gap="xs">
              <Button variant="default" component={Link} to="/settings#tiering" size="sm">
                {t('market.tiers.changeCut')}
              </Button>
              <Button
                size="sm"
                variant="light"
                leftSection={<Icon name="refresh" size={16} />}
                onClick={() => retier.mutate()}
                loading={retier.isPending}
              >
                {t('market.tiers.retier')}
              </Button>
            </Group>
          )}
        </Group>

        {tiers.isError ? (
          <Alert {...toneAlert('red')} icon={<Icon name="alert" />}>
            {tiers.error.message}
          </Alert>
        ) : !counts ? (
          <Skeleton h={120} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="tier-counts">
              {(['A', 'B', 'C'] as const).map((tier) => (
                <Paper key={tier} radius="md" p="sm" bg="gray.0" data-tier={tier}>
                  <Stack gap={4}>
                    <TierBadge tier={tier} withName />
                    <Text fz={28} fw={700} lh={1.15}>
                      {format.number(counts[tier])}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {t('market.tiers.shareOfMarket', {
                        share: format.percent(inMarket ? counts[tier] / inMarket : 0),
                      })}
                    </Text>
                  </Stack>
                </Paper>
              ))}
              <Paper radius="md" p="sm" bg="gray.0" data-tier="out">
                <Stack gap={4}>
                  <TierBadge tier={null} />
                  <Text fz={28} fw={700} lh={1.15} c="gray.8">
                    {format.number(counts.outOfMarket)}
                  </Text>
                  <Text fz="xs" c="dimmed">
                    {t('market.tiers.outOfMarket')}
                  </Text>
                </Stack>
              </Paper>
            </SimpleGrid>
            <Progress.Root size={14} radius="xl" aria-hidden="true">
              {(['A', 'B', 'C'] as const).map((tier) => (
                <Progress.Section
                  key={tier}
                  value={(counts[tier] / Math.max(1, inMarket + counts.outOfMarket)) * 100}
                  color={TIER_COLOR[tier]}
                />
              ))}
              <Progress.Section
                value={(counts.outOfMarket / Math.max(1, inMarket + counts.outOfMarket)) * 100}
                color="gray.3"
              />
            </Progress.Root>
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text fz="sm">{t('market.tiers.overridden', { count: counts.overridden })}</Text>
              {retier.isSuccess && (
                <Text fz="sm" c={STRONG_TEXT.teal} role="status">
                  {t('market.tiers.retiered')}
                </Text>
              )}
            </Group>
            {retier.isError && (
              <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert">
                {retier.error.message}
              </Alert>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
