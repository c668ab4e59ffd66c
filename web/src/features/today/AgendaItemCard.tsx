import { Anchor, Badge, Button, Group, Kbd, Text } from '@mantine/core';
import { type Ref, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TPipelineStage } from '../../../../src/schemas/common.ts';
import type { TAgendaItem } from '../../api/agenda.ts';
import { Icon } from '../../components/icons.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { ChannelIcon } from '../touches/ChannelIcon.tsx';
import { formatMoment } from '../touches/dates.ts';
import { QUICK_OUTCOMES, type QuickOutcome } from '../touches/outcomes.ts';

interface Props {
  item: TAgendaItem;
  /** The item that holds the list's one tab stop. */
  tabStop: boolean;
  elementRef: Ref<HTMLElement>;
  onFocusItem: () => void;
  onQuickLog: (outcome: QuickOutcome) => void;
  onOpenForm: () => void;
}

/** One planned call or visit: who, where, the last touch, and one-click outcomes. */
export function AgendaItemCard({ item, tabStop, elementRef, onFocusItem, onQuickLog, onOpenForm }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const ids = useId();
  const nameId = `${ids}-name`;
  const metaId = `${ids}-meta`;
  const place = [item.city, item.district].filter(Boolean).join(' · ');
  const last = item.lastTouch;
  const year = item.dueOn.slice(0, 4);

  return (
    <article
      ref={elementRef}
      className="agenda-item"
      tabIndex={tabStop ? 0 : -1}
      aria-labelledby={nameId}
      aria-describedby={metaId}
      aria-keyshortcuts="1 2 3 Enter o"
      data-overdue={item.overdue || undefined}
      data-touch-id={item.touchId}
      data-channel={item.channel}
      data-testid="agenda-item"
      onFocus={onFocusItem}
    >
      <div className="agenda-item-main">
        <ChannelIcon channel={item.channel} size={36} />
        <div className="agenda-item-text">
          <Group gap={8} wrap="wrap" align="center">
            <Anchor
              component={Link}
              to={`/accounts/${encodeURIComponent(item.accountId)}`}
              state={{ from: 'today' }}
              fw={600}
              c="dark.8"
              id={nameId}
              className="agenda-item-name"
            >
              {item.accountName}
            </Anchor>
            <TierBadge tier={item.tier} />
            {item.overdue && (
              <Badge variant="light" color="red" c={STRONG_TEXT.red} tt="none" radius="sm">
                {t('today.item.overdueDays', { count: item.overdueDays })}
              </Badge>
            )}
            {item.dueTime && (
              <Badge variant="outline" color="gray" c="gray.8" tt="none" radius="sm">
                {item.dueTime}
              </Badge>
            )}
          </Group>
          <Text fz="sm" c="dimmed" id={metaId} className="agenda-item-meta">
            <span>{t(`logForm.channels.${item.channel}`)}</span>
            {place && <span>{place}</span>}
            <span>{t('today.item.stage', { stage: t(`stage.${item.stage as TPipelineStage}`) })}</span>
          </Text>
          {item.phone && (
            <Anchor
              href={`tel:${item.phone.replace(/[^\d+]/g, '')}`}
              fz="sm"
              className="agenda-item-phone"
              aria-label={t('today.item.call', { phone: item.phone })}
            >
              <Icon name="phone" size={15} />
              <span>{item.phone}</span>
            </Anchor>
          )}
          <Text fz="sm" className="agenda-item-last">
            {last ? (
              <>
                <Text span c="dimmed" fz="sm">
                  {t('today.item.lastTouch', {
                    when: formatMoment(last.at, format.language, year),
                    channel: t(`logForm.channels.${last.channel}`),
                    outcome: t(`logForm.outcomes.${last.channel}.${last.outcome}`),
                  })}
                </Text>
                {last.note && <span className="agenda-item-note">“{last.note}”</span>}
              </>
            ) : (
              <Text span c="dimmed" fz="sm">
                {t('today.item.neverTouched')}
              </Text>
            )}
          </Text>
        </div>
      </div>

      <div className="agenda-item-actions">
        {QUICK_OUTCOMES.map((outcome, index) => (
          <Button
            key={outcome}
            variant={outcome === 'meeting_booked' ? 'light' : 'default'}
            color={outcome === 'meeting_booked' ? 'teal' : undefined}
            c={outcome === 'meeting_booked' ? STRONG_TEXT.teal : undefined}
            radius="md"
            className="quick-button"
            onClick={() => onQuickLog(outcome)}
            aria-describedby={nameId}
            aria-keyshortcuts={String(index + 1)}
            data-outcome={outcome}
            rightSection={
              <Kbd size="xs" className="quick-kbd" aria-hidden="true">
                {index + 1}
              </Kbd>
            }
          >
            {t(`logForm.outcomes.${item.channel}.${outcome}`)}
          </Button>
        ))}
        <Button
          variant="subtle"
          radius="md"
          className="quick-button"
          onClick={onOpenForm}
          aria-describedby={nameId}
          aria-haspopup="dialog"
          leftSection={<Icon name="pencil" size={16} />}
        >
          {t('today.item.more')}
        </Button>
      </div>
    </article>
  );
}
