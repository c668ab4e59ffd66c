import { Badge, CloseButton, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useObjections } from '../../api/objections.ts';
import { usePlanReps } from '../../api/plan.ts';
import { useFormat } from '../../i18n/use-format.ts';
import type { DrillFilters } from '../accounts/drill-filters.ts';

/**
 * The dashboard's drill-down filters that the Accounts filter bar has no control for (coverage, touches and
 * objections in a window, planned touches), each a chip that says what it keeps and can be cleared.
 */
export function DrillFilterChips({
  drill,
  onChange,
}: {
  drill: DrillFilters;
  onChange: (drill: DrillFilters) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const objections = useObjections(Boolean(drill.objectionId));
  const reps = usePlanReps();
  const repName = (id: string) => (reps.data ?? []).find((r) => r.id === id)?.name ?? id;
  const channel = drill.channel ? t(`dashboard.channel.${drill.channel}`) : null;
  const range = (from?: string, to?: string) =>
    from && to
      ? `${format.shortDate(from)}–${format.shortDate(to)}`
      : from
        ? t('dashboard.chips.since', { date: format.shortDate(from) })
        : t('dashboard.chips.until', { date: format.shortDate(to) });

  const chips: { key: string; label: string; clear: (keyof DrillFilters)[] }[] = [];
  for (const [key, value] of [
    ['covered', drill.covered],
    ['uncovered', drill.uncovered],
  ] as const) {
    if (value) {
      chips.push({
        key,
        label: t(`dashboard.chips.${key}`, { channel: t(`dashboard.channel.${value}`) }),
        clear: [key],
      });
    }
  }
  const byRep = drill.byRep ? repName(drill.byRep) : null;
  if (drill.objectionId) {
    const found = objections.data?.objections.find((o) => o.id === drill.objectionId);
    const name = found ? (format.language === 'en' ? found.label.en : found.label.zh) : drill.objectionId;
    chips.push({ key: 'objection', label: t('dashboard.chips.objection', { name }), clear: ['objectionId'] });
  }
  if (drill.touchedFrom || drill.touchedTo) {
    chips.push({
      key: 'touched',
      label: t('dashboard.chips.touched', { range: range(drill.touchedFrom, drill.touchedTo) }),
      clear: ['touchedFrom', 'touchedTo'],
    });
  }
  if (drill.plannedFrom || drill.plannedTo) {
    chips.push({
      key: 'planned',
      label: t('dashboard.chips.planned', { range: range(drill.plannedFrom, drill.plannedTo) }),
      clear: ['plannedFrom', 'plannedTo'],
    });
  }
  if (channel && chips.some((c) => c.key === 'objection' || c.key === 'touched' || c.key === 'planned')) {
    chips.push({ key: 'channel', label: t('dashboard.chips.channel', { channel }), clear: ['channel'] });
  }
  if (byRep)
    chips.push({ key: 'byRep', label: t('dashboard.chips.byRep', { name: byRep }), clear: ['byRep'] });
  if (chips.length === 0) return null;

  return (
    <Group gap={6} data-testid="drill-filters" aria-label={t('dashboard.chips.label')} role="group">
      {chips.map((chip) => (
        <Badge
          key={chip.key}
          size="lg"
          radius="sm"
          variant="light"
          color="indigo"
          tt="none"
          data-testid={`drill-chip-${chip.key}`}
          rightSection={
            <CloseButton
              size="xs"
              variant="transparent"
              c="indigo.9"
              onClick={() => {
                const next = { ...drill };
                for (const key of chip.clear) delete next[key];
                onChange(next);
              }}
              aria-label={t('dashboard.chips.clear', { filter: chip.label })}
            />
          }
        >
          {chip.label}
        </Badge>
      ))}
    </Group>
  );
}
