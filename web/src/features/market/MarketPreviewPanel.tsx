import { Alert, Badge, Group, Loader, Paper, Progress, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TMarketPreview } from '../../../../src/schemas/market-api.ts';
import { Icon } from '../../components/icons.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { useCriterionLabel } from './describe-criteria.ts';

interface Props {
  preview: TMarketPreview | undefined;
  /** A newer answer is on its way (the numbers on screen are for earlier criteria). */
  updating: boolean;
  error: Error | null;
  /** The draft equals the current definition. */
  unchanged: boolean;
  /** The draft has a range whose minimum is above its maximum. */
  invalid: boolean;
}

export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** How many accounts the draft criteria match, how many are already being worked, and what saving means. */
export function MarketPreviewPanel({ preview, updating, error, unchanged, invalid }: Props) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const criterionLabel = useCriterionLabel();

  let body: React.ReactNode;
  if (invalid) {
    body = (
      <Alert {...toneAlert('orange')} icon={<Icon name="alert" />}>
        {t('market.preview.invalid')}
      </Alert>
    );
  } else if (error && !preview) {
    body = (
      <Alert {...toneAlert('red')} icon={<Icon name="alert" />} title={t('market.preview.failed')}>
        {error.message}
      </Alert>
    );
  } else if (!preview) {
    body = (
      <Stack gap="sm" aria-busy="true">
        <Skeleton h={48} w="50%" />
        <Skeleton h={12} />
        <Skeleton h={64} />
      </Stack>
    );
  } else {
    const coverage = preview.currentCoverage;
    body = (
      <Stack gap="md">
        <div aria-live="polite" aria-atomic="true">
          {/* The count and its words side by side (247 家符合条件…): the words wrap beside it, not below. */}
          <Group gap={8} align="baseline" wrap="nowrap">
            <Text fz={40} fw={700} lh={1} c="indigo.8" data-testid="market-matching">
              {format.number(preview.matching)}
            </Text>
            <Text fz="sm" c="dimmed">
              {t('market.preview.matchingOf', { count: preview.matching, total: preview.total })}
            </Text>
          </Group>
          {/* What saving does to the contact plan (the save's own answer, said before it): only when it does something. */}
          {preview.plan.leaving > 0 && (
            <Text fz="sm" mt={6} c={STRONG_TEXT.orange} data-testid="market-preview-leaving">
              {t('market.preview.leaving', {
                count: preview.plan.leaving,
                touches: t('market.preview.openTouches', { count: preview.plan.openTouches }),
              })}
            </Text>
          )}
          {preview.plan.entering > 0 && (
            <Text fz="sm" mt={6} c="dimmed" data-testid="market-preview-entering">
              {t('market.preview.entering', { count: preview.plan.entering })}
            </Text>
          )}
        </div>
        <Progress.Root size="lg" radius="xl" aria-hidden="true">
          <Progress.Section value={share(preview.withRelationship, preview.total) * 100} color="teal.7" />
          <Progress.Section
            value={share(preview.matching - preview.withRelationship, preview.total) * 100}
            color="indigo.5"
          />
        </Progress.Root>
        <Group gap="lg" wrap="wrap">
          <Legend color="var(--mantine-color-teal-7)">
            {t('market.preview.withRelationship', {
              count: preview.withRelationship,
              share: format.percent(share(preview.withRelationship, preview.matching)),
            })}
          </Legend>
          <Legend color="var(--mantine-color-indigo-5)">
            {t('market.preview.notYetWorked', { count: preview.matching - preview.withRelationship })}
          </Legend>
        </Group>

        {preview.currentVersion == null ? (
          <Alert {...toneAlert('indigo')} icon={<Icon name="info" />} title={t('market.preview.firstTitle')}>
            {t('market.preview.firstBody')}
          </Alert>
        ) : unchanged ? (
          <Text fz="sm" c="dimmed">
            {t('market.preview.unchanged', { version: preview.currentVersion })}
          </Text>
        ) : preview.isWidening ? (
          <Alert
            {...toneAlert('orange')}
            icon={<Icon name="alert" />}
            title={t('market.preview.wideningTitle')}
            data-testid="market-widening"
          >
            <Stack gap={6}>
              <Text fz="sm">
                {t('market.preview.wideningBody', {
                  criteria: preview.widened.map(criterionLabel).join(t('market.listSeparator')),
                })}
              </Text>
              {coverage && (
                <Text fz="sm">
                  {t('market.preview.coverage', {
                    version: preview.currentVersion,
                    matching: coverage.matching,
                    covered: coverage.withRelationship,
                    share: format.percent(share(coverage.withRelationship, coverage.matching)),
                  })}
                </Text>
              )}
            </Stack>
          </Alert>
        ) : (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge
              variant="light"
              color="teal"
              c={STRONG_TEXT.teal}
              radius="sm"
              tt="none"
              style={{ flex: 'none' }}
            >
              {t('market.preview.notWidening')}
            </Badge>
            <Text fz="sm" c="dimmed">
              {t('market.preview.notWideningBody', { version: preview.currentVersion })}
            </Text>
          </Group>
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder radius="md" p="md" aria-busy={updating} data-testid="market-preview">
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} fz="h4">
            {t('market.preview.title')}
          </Title>
          {updating && <Loader size="xs" aria-label={t('market.preview.updating')} />}
        </Group>
        {body}
      </Stack>
    </Paper>
  );
}

function Legend({ color, children }: { color: string; children: React.ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap">
      <span
        aria-hidden="true"
        style={{ width: 10, height: 10, borderRadius: 3, background: color, flex: 'none' }}
      />
      <Text fz="sm">{children}</Text>
    </Group>
  );
}
