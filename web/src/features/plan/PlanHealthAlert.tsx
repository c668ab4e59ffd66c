import { Alert, Anchor, Button, Group, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type TPlanHealth, usePlanHealth } from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { toneAlert, toneText } from './tone.ts';
import { usePlanFormat } from './use-plan-format.ts';

const TIERS = ['A', 'B', 'C'] as const;
const CHANNELS = ['call', 'visit'] as const;

/** The alert's sentences: accounts without a planned touch per channel, then each tier planned off its cadence. */
function useHealthLines(health: TPlanHealth): string[] {
  const { t } = useTranslation();
  const lines: string[] = [];
  for (const channel of CHANNELS) {
    const byTier = health.counts.unplanned[channel];
    const count = byTier.A + byTier.B + byTier.C;
    if (count > 0)
      lines.push(
        channel === 'call'
          ? t('plan.current.health.unplannedCall', { count })
          : t('plan.current.health.unplannedVisit', { count }),
      );
  }
  for (const reason of ['behind', 'ahead'] as const) {
    for (const channel of CHANNELS) {
      for (const tier of TIERS) {
        const count = health.counts[reason][channel][tier];
        if (count === 0) continue;
        const key =
          reason === 'behind'
            ? channel === 'call'
              ? 'plan.current.health.behindCall'
              : 'plan.current.health.behindVisit'
            : channel === 'call'
              ? 'plan.current.health.aheadCall'
              : 'plan.current.health.aheadVisit';
        lines.push(t(key, { count, tier }));
      }
    }
  }
  const outside = health.counts.outOfMarket.call + health.counts.outOfMarket.visit;
  if (outside > 0) {
    const count = Math.max(health.counts.outOfMarket.call, health.counts.outOfMarket.visit);
    lines.push(t('plan.current.health.outOfMarket', { count }));
  }
  return lines;
}

/**
 * On the plan in force: what it no longer covers since it was committed (a wider market, tiers changed by score,
 * new or handed-over accounts, none of which re-plans by itself), or that it has ended (its horizon is over, nothing
 * planned from today on), with the re-plan and the accounts affected. Nothing while everything is in step.
 */
export function PlanHealthAlert({
  repId,
  replanFrom,
  onReplan,
}: {
  repId: string | null;
  /** The day the page's re-plan starts from (its button's). */
  replanFrom: string;
  onReplan: () => void;
}) {
  const { data } = usePlanHealth(repId ? { repId } : {});
  if (!data || data.inStep || !data.plan) return null;
  return <HealthAlert health={data} replanFrom={replanFrom} onReplan={onReplan} />;
}

function HealthAlert({
  health,
  replanFrom,
  onReplan,
}: {
  health: TPlanHealth;
  replanFrom: string;
  onReplan: () => void;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const [open, setOpen] = useState(false);
  const lines = useHealthLines(health);
  const shown = health.accounts.length;
  return (
    <Alert
      {...toneAlert('orange')}
      icon={<Icon name="alert" />}
      title={t('plan.current.health.title')}
      data-testid="plan-health"
    >
      <Stack gap="xs">
        {health.expired && health.plan && (
          <Text fz="sm" fw={600} data-testid="plan-health-expired">
            {t('plan.current.health.expired', { date: format.day(health.plan.to) })}
          </Text>
        )}
        {lines.map((line) => (
          <Text fz="sm" key={line}>
            {line}
          </Text>
        ))}
        <Text fz="xs" c="dimmed">
          {t('plan.current.health.hint')}
        </Text>
        <Group gap="xs" wrap="wrap">
          <Button
            size="compact-sm"
            variant="white"
            color="orange.9"
            c={toneText('orange')}
            onClick={onReplan}
            leftSection={<Icon name="plan" size={16} />}
            data-testid="plan-health-replan"
          >
            {t('plan.current.replan', { date: format.day(replanFrom) })}
          </Button>
          <Button
            size="compact-sm"
            variant="white"
            color="orange.9"
            c={toneText('orange')}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls="plan-health-accounts"
            data-testid="plan-health-toggle"
          >
            {open
              ? t('plan.current.health.hide')
              : shown < health.affected
                ? t('plan.current.health.showFirst', { shown, count: health.affected })
                : t('plan.current.health.show', { count: health.affected })}
          </Button>
        </Group>
        {open && (
          <List size="sm" spacing={4} id="plan-health-accounts" data-testid="plan-health-accounts">
            {health.accounts.map((a) => (
              <List.Item key={`${a.id}-${a.channel}-${a.reason}`}>
                <Anchor
                  component={Link}
                  to={`/accounts/${encodeURIComponent(a.id)}`}
                  fz="sm"
                  c={toneText('orange')}
                  underline="always"
                >
                  {a.name}
                </Anchor>
                <Text span fz="sm" c="dimmed">
                  {' · '}
                  {[
                    a.tier ?? '–',
                    a.city,
                    t(`plan.current.health.reason.${a.reason}`, {
                      channel: t(`plan.current.health.channel.${a.channel}`),
                    }),
                    t('plan.current.health.due', { date: format.day(a.nextDue) }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}
