import { Button, NumberInput, Skeleton, Table, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  TCadenceRule,
  TCadenceRuleChange,
  TCadenceRuleStored,
} from '../../../../src/schemas/cadence.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import { useCadenceRules, useUpdateCadenceRules } from '../../api/workspace-settings.ts';
import { TierBadge } from '../../components/TierBadge.tsx';
import { VersionConflictAlert } from '../../components/VersionConflictAlert.tsx';
import { CHANNELS, TIERS } from '../plan/load.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { SaveBar, SettingsSection } from './SettingsSection.tsx';

type Tier = (typeof TIERS)[number];
type Channel = (typeof CHANNELS)[number];
type CadenceTable = Record<Tier, Record<Channel, number | null>>;

/** Method §3's example cadence: A call monthly, visit quarterly; B quarterly / half-yearly; C half-yearly / yearly. */
export const METHOD_CADENCE: CadenceTable = {
  A: { call: 1, visit: 3 },
  B: { call: 3, visit: 6 },
  C: { call: 6, visit: 12 },
};

function toTable(rules: readonly TCadenceRule[]): CadenceTable {
  const table: CadenceTable = {
    A: { ...METHOD_CADENCE.A },
    B: { ...METHOD_CADENCE.B },
    C: { ...METHOD_CADENCE.C },
  };
  for (const rule of rules) table[rule.tier][rule.channel] = rule.intervalMonths;
  return table;
}

/**
 * The cells the draft changes from the rules it started from, each with that rule's version: only those are sent,
 * so two managers changing different cells do not refuse each other, and the same cell is refused (409).
 */
function changedRules(table: CadenceTable, base: readonly TCadenceRuleStored[]): TCadenceRuleChange[] {
  return TIERS.flatMap((tier) =>
    CHANNELS.flatMap((channel) => {
      const rule = base.find((r) => r.tier === tier && r.channel === channel);
      const intervalMonths = table[tier][channel];
      return rule && rule.intervalMonths === intervalMonths
        ? []
        : [{ tier, channel, intervalMonths, version: rule?.version ?? 0 }];
    }),
  );
}

/** The draft moved onto `current`: the cells the user changed from `base` kept, the others as saved now. */
function rebase(
  table: CadenceTable,
  base: readonly TCadenceRuleStored[],
  current: readonly TCadenceRuleStored[],
): CadenceTable {
  const before = toTable(base);
  const next = toTable(current);
  for (const tier of TIERS)
    for (const channel of CHANNELS)
      if (table[tier][channel] !== before[tier][channel]) next[tier][channel] = table[tier][channel];
  return next;
}

const same = (a: CadenceTable, b: CadenceTable) => JSON.stringify(a) === JSON.stringify(b);

/**
 * How often each tier is called and visited; empty means never on that channel. `readOnly` (a rep): the
 * table shows the values as text, with no inputs and nothing to save.
 */
export function CadenceSettings({ readOnly = false }: { readOnly?: boolean }) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const rules = useCadenceRules();
  const update = useUpdateCadenceRules();
  const [draft, setDraft] = useState<CadenceTable | null>(null);
  // The rules the draft started from, with their versions: a save sends the cells changed from them.
  const [base, setBase] = useState<TCadenceRuleStored[] | null>(null);
  useEffect(() => {
    if (rules.data && !draft) {
      setDraft(toTable(rules.data));
      setBase(rules.data);
    }
  }, [rules.data, draft]);
  // Someone else saved a cell this draft changes: the rules as they are now are loaded, the draft kept.
  const conflict = conflictCurrent<TCadenceRuleStored[]>(update.error) !== null;
  const save = () => {
    if (!draft || !base) return;
    const changes = changedRules(draft, base);
    if (changes.length === 0) return;
    update.mutate(changes, {
      onSuccess: (next) => {
        setDraft(toTable(next));
        setBase(next);
      },
      onError: (error) => {
        const current = conflictCurrent<TCadenceRuleStored[]>(error);
        if (current) {
          // What is saved now, with the user's own changes on top: saving again applies them to it.
          setDraft(rebase(draft, base, current));
          setBase(current);
        }
      },
    });
  };
  const takeSaved = () => {
    update.reset();
    if (rules.data) {
      setDraft(toTable(rules.data));
      setBase(rules.data);
    }
  };

  const dirty = Boolean(draft && base && changedRules(draft, base).length > 0);
  const set = (tier: Tier, channel: Channel, value: number | null) =>
    setDraft((current) =>
      current ? { ...current, [tier]: { ...current[tier], [channel]: value } } : current,
    );

  return (
    <SettingsSection
      id="cadence"
      title={t('settings.cadence.title')}
      description={t(readOnly ? 'settings.cadence.descriptionReadOnly' : 'settings.cadence.description')}
      readOnly={readOnly}
    >
      {!draft ? (
        rules.isError ? (
          <Text c="red.8" fz="sm">
            {rules.error.message}
          </Text>
        ) : (
          <Skeleton h={180} />
        )
      ) : readOnly ? (
        <CadenceValues table={draft} />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <CadenceGrid
            minWidth={340}
            cell={(tier, channel) => {
              const value = draft[tier][channel];
              return (
                <>
                  <NumberInput
                    aria-label={t('settings.cadence.cellLabel', {
                      tier,
                      channel: t(`plan.channel.${channel}`),
                    })}
                    value={value ?? ''}
                    placeholder={t('settings.cadence.never')}
                    min={0.5}
                    max={120}
                    step={0.5}
                    decimalScale={2}
                    allowNegative={false}
                    hideControls
                    onChange={(next) =>
                      set(tier, channel, typeof next === 'number' && next > 0 ? next : null)
                    }
                    rightSection={
                      <Text span fz="xs" c="dimmed" aria-hidden="true">
                        {t('settings.cadence.monthsUnit')}
                      </Text>
                    }
                    rightSectionWidth={format.language === 'en' ? 64 : 44}
                    rightSectionPointerEvents="none"
                    maw={200}
                  />
                  <Text fz="xs" c="dimmed" mt={4}>
                    {value
                      ? t('settings.cadence.perYear', { times: format.decimal(12 / value) })
                      : t('settings.cadence.neverHint')}
                  </Text>
                </>
              );
            }}
          />
          <SaveBar
            dirty={dirty}
            saving={update.isPending}
            saved={update.isSuccess}
            error={conflict ? null : update.error}
            conflict={
              conflict && (
                <VersionConflictAlert
                  record="cadence"
                  onRetry={save}
                  onDiscard={takeSaved}
                  retrying={update.isPending}
                />
              )
            }
            onReset={takeSaved}
            extra={
              <Button
                variant="subtle"
                onClick={() => setDraft(METHOD_CADENCE)}
                disabled={same(draft, METHOD_CADENCE)}
              >
                {t('settings.cadence.methodDefaults')}
              </Button>
            }
          />
        </form>
      )}
    </SettingsSection>
  );
}

/** The cadence as text: months between calls and visits per tier, and about how often a year. */
function CadenceValues({ table }: { table: CadenceTable }) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  return (
    <CadenceGrid
      minWidth={320}
      cell={(tier, channel) => {
        const value = table[tier][channel];
        return (
          <>
            <Text fz="sm" fw={600}>
              {value
                ? t('settings.cadence.interval', { count: value, value: format.decimal(value, 2) })
                : t('settings.cadence.never')}
            </Text>
            {value ? (
              <Text fz="xs" c="dimmed" mt={2}>
                {t('settings.cadence.perYear', { times: format.decimal(12 / value) })}
              </Text>
            ) : null}
          </>
        );
      }}
    />
  );
}

/** The tiers × channels table both the editor and the read-only view fill: a cell per tier and channel. */
function CadenceGrid({
  minWidth,
  cell,
}: {
  minWidth: number;
  cell: (tier: Tier, channel: Channel) => React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" pos="relative">
      <Table verticalSpacing="sm" data-testid="cadence-table">
        <caption>
          <VisuallyHidden>{t('settings.cadence.caption')}</VisuallyHidden>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('settings.cadence.tier')}</Table.Th>
            {CHANNELS.map((channel) => (
              <Table.Th key={channel} scope="col">
                {t('settings.cadence.every', { channel: t(`plan.channel.${channel}`) })}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {TIERS.map((tier) => (
            <Table.Tr key={tier}>
              <Table.Th scope="row" fw={400}>
                <TierBadge tier={tier} withName />
              </Table.Th>
              {CHANNELS.map((channel) => (
                <Table.Td key={channel}>{cell(tier, channel)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
