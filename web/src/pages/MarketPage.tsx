import { Alert, Badge, Button, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TMarketCriteria } from '../../../src/schemas/market.ts';
import { useAccountFacets } from '../api/accounts.ts';
import { ApiError } from '../api/client.ts';
import {
  type MarketSaveResult,
  type MarketState,
  useMarket,
  useMarketPreview,
  useSourceOptions,
} from '../api/market.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { useCanChangeWorkspaceRules } from '../features/auth/workspace-rules.ts';
import { REPLAN_HREF } from '../features/dashboard/replan-link.ts';
import { Breakdown } from '../features/market/Breakdown.tsx';
import { CriteriaForm } from '../features/market/CriteriaForm.tsx';
import {
  type CriteriaDraft,
  criteriaFromDraft,
  draftFromCriteria,
  invertedRanges,
  sameCriteria,
} from '../features/market/criteria.ts';
import { MarketPreviewPanel } from '../features/market/MarketPreviewPanel.tsx';
import { MarketReadOnly } from '../features/market/MarketReadOnly.tsx';
import { SaveMarket } from '../features/market/SaveMarket.tsx';
import { TierDistribution } from '../features/market/TierDistribution.tsx';
import { VersionHistory } from '../features/market/VersionHistory.tsx';
import { toneAlert } from '../features/plan/tone.ts';
import { useFormat } from '../i18n/use-format.ts';
import { STRONG_TEXT } from '../theme.ts';

const PREVIEW_DELAY_MS = 350;

/**
 * The target market (method §1–§2): criteria on the statistics that show purchasing power, a live count of
 * what they match, saving as a new version (widening only when confirmed), and the tiers that follow.
 * Managers and admins get the editor; a rep, who may not define the market, reads it.
 */
export function MarketPage() {
  const { t } = useTranslation();
  const market = useMarket();
  const canChange = useCanChangeWorkspaceRules();

  if (market.isError && !market.data) {
    const error = market.error;
    return (
      <Alert {...toneAlert('red')} icon={<Icon name="alert" />} title={t('errors.unknown')} role="alert">
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            {error instanceof ApiError && error.isNetworkError ? t('errors.network') : error.message}
          </Text>
          <Button size="xs" variant="white" color="red.9" onClick={() => void market.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (!market.data) return <PageLoader label={t('market.loading')} />;
  const current = market.data.current;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <div>
          <Title order={1} fz="h2">
            {t('market.title')}
          </Title>
          <Text c="dimmed" fz="sm" mt={4} maw={720}>
            {t(canChange ? 'market.intro' : 'market.introReadOnly')}
          </Text>
        </div>
        {current ? (
          <Badge size="lg" variant="light" color="indigo" radius="sm" tt="none" data-testid="market-current">
            {/* How many are in the market now: imports and edits since the save move accounts in and out. */}
            {t('market.currentVersion', { version: current.version, count: market.data.inMarket })}
          </Badge>
        ) : (
          <Badge size="lg" variant="light" color="gray" c="gray.8" radius="sm" tt="none">
            {t('market.noVersion')}
          </Badge>
        )}
      </Group>
      {canChange ? (
        <MarketEditor market={market.data} />
      ) : (
        <MarketReadOnly current={current} versions={market.data.versions} />
      )}
    </Stack>
  );
}

/** Criteria, live preview, saving and the versions to go back to: for managers and admins. */
function MarketEditor({ market }: { market: MarketState }) {
  const { t } = useTranslation();
  const format = useFormat();
  const facets = useAccountFacets();
  const sources = useSourceOptions();
  const current = market.current;

  // The form starts from the current definition (so the first preview asks about it, not about no criteria),
  // and follows it until the user edits.
  const [draft, setDraft] = useState<CriteriaDraft>(() => draftFromCriteria(current?.criteria));
  const [saved, setSaved] = useState<MarketSaveResult | null>(null);
  const edited = useRef(false);
  const loadedVersion = useRef<number | null>(current?.version ?? null);
  // The current version the draft started from: a save sends it, and is refused when someone saved a newer one.
  const [baseVersion, setBaseVersion] = useState<number | null>(current?.version ?? null);
  useEffect(() => {
    const version = market.current?.version ?? null;
    if (loadedVersion.current === version) return;
    loadedVersion.current = version;
    if (!edited.current) {
      setDraft(draftFromCriteria(market.current?.criteria));
      setBaseVersion(version);
    }
  }, [market]);

  const criteria = useMemo(() => criteriaFromDraft(draft), [draft]);
  const criteriaKey = JSON.stringify(criteria);
  const [debouncedKey] = useDebouncedValue(criteriaKey, PREVIEW_DELAY_MS);
  const invalid = invertedRanges(draft).length > 0;
  const debounced = useMemo(() => JSON.parse(debouncedKey) as TMarketCriteria, [debouncedKey]);
  const preview = useMarketPreview(invalid ? null : debounced);
  const inSync = debouncedKey === criteriaKey && !preview.isPlaceholderData && !preview.isFetching;
  const unchanged = current != null && sameCriteria(current.criteria, criteria);

  const change = (next: CriteriaDraft) => {
    edited.current = true;
    setSaved(null);
    setDraft(next);
  };

  const reset = () => {
    edited.current = false;
    setSaved(null);
    setDraft(draftFromCriteria(current?.criteria));
    setBaseVersion(current?.version ?? null);
  };

  return (
    <>
      {saved && (
        <Alert
          {...toneAlert('teal')}
          icon={<Icon name="check" />}
          title={t('market.saved.title', { version: saved.version })}
          withCloseButton
          closeButtonLabel={t('market.saved.dismiss')}
          onClose={() => setSaved(null)}
          role="status"
          data-testid="market-saved"
        >
          <Stack gap={6}>
            <Text fz="sm" c={STRONG_TEXT.teal}>
              {t('market.saved.body', {
                count: saved.matching,
                a: format.number(saved.tiers.A),
                b: format.number(saved.tiers.B),
                c: format.number(saved.tiers.C),
              })}
            </Text>
            {saved.plan.leftMarket > 0 && (
              <Text fz="sm" c={STRONG_TEXT.teal} data-testid="market-saved-left">
                {t('market.saved.left', {
                  count: saved.plan.leftMarket,
                  touches: t('market.saved.touches', { count: saved.plan.cancelledTouches }),
                })}
              </Text>
            )}
            {saved.plan.entered > 0 && (
              <Text fz="sm" c={STRONG_TEXT.teal} data-testid="market-saved-entered">
                {t('market.saved.entered', { count: saved.plan.entered })}
              </Text>
            )}
            <Group gap="xs">
              <Button component={Link} to="/plan" size="xs" color="teal.9">
                {t('market.saved.toPlan')}
              </Button>
              {/* A save re-tiers and re-plans nothing: the reps' plans out of step, re-planned in one step. */}
              <Button
                component={Link}
                to={REPLAN_HREF}
                size="xs"
                variant="light"
                color="teal"
                c={STRONG_TEXT.teal}
                data-testid="market-saved-replan"
              >
                {t('market.saved.toReplan')}
              </Button>
              <Button
                component={Link}
                to="/accounts?inMarket=true"
                size="xs"
                variant="subtle"
                color="teal"
                c={STRONG_TEXT.teal}
              >
                {t('market.saved.toAccounts')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="sm" component="section" aria-labelledby="market-criteria-title">
            <Group justify="space-between" wrap="nowrap">
              <Title order={2} fz="h4" id="market-criteria-title">
                {t('market.form.title')}
              </Title>
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={reset}
                disabled={unchanged || (!current && criteriaKey === '{}')}
              >
                {current ? t('market.form.reset', { version: current.version }) : t('market.form.clear')}
              </Button>
            </Group>
            <CriteriaForm
              draft={draft}
              onChange={change}
              facets={facets.data}
              sources={sources.isError ? null : sources.data}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <MarketPreviewPanel
              preview={preview.data}
              updating={!invalid && !inSync}
              error={preview.error}
              unchanged={unchanged}
              invalid={invalid}
            />
            <SaveMarket
              criteria={criteria}
              version={baseVersion}
              onRebase={(definition) => setBaseVersion(definition.version)}
              onTakeCurrent={(definition) => {
                edited.current = false;
                setSaved(null);
                setDraft(draftFromCriteria(definition.criteria));
                setBaseVersion(definition.version);
              }}
              preview={inSync ? preview.data : undefined}
              widening={inSync && Boolean(preview.data?.isWidening)}
              disabled={invalid || unchanged || !inSync}
              onSaved={(result) => {
                edited.current = false;
                setBaseVersion(result.version);
                setSaved(result);
              }}
            />
            <Breakdown preview={invalid ? undefined : preview.data} />
          </Stack>
        </Grid.Col>
      </Grid>

      <TierDistribution />

      <VersionHistory
        versions={market.versions}
        currentVersion={current?.version ?? null}
        onUse={(definition) => {
          change(draftFromCriteria(definition.criteria));
          document.getElementById('market-criteria-title')?.scrollIntoView({ behavior: 'smooth' });
        }}
      />
    </>
  );
}
