import { Text } from '@mantine/core';
import { type Ref, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TPipelineStage } from '../../../../src/schemas/common.ts';
import type { TAgendaItem } from '../../api/agenda.ts';
import { Icon } from '../../components/icons.tsx';
import { PlainAnchor, PlainBadge, PlainButton, PlainKbd, PlainLink } from '../../components/plain-ui.tsx';
import { TierBadge } from '../../components/TierBadge.tsx';
import { useFormat } from '../../i18n/use-format.ts';
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
  /** The workspace's time zone: the last touch's time is read on its clock. */
  timeZone?: string;
}

/** One planned call or visit: who, where, the last touch, and one-click outcomes. */
export function AgendaItemCard({
  item,
  tabStop,
  elementRef,
  onFocusItem,
  onQuickLog,
  onOpenForm,
  timeZone,
}: Props) {
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
          <div className="agenda-item-title">
            <PlainLink
              to={`/accounts/${encodeURIComponent(item.accountId)}`}
              state={{ from: 'today' }}
              id={nameId}
              className="agenda-item-name"
            >
              {item.accountName}
            </PlainLink>
            <TierBadge tier={item.tier} />
            {item.overdue && (
              <PlainBadge color="red">{t('today.item.overdueDays', { count: item.overdueDays })}</PlainBadge>
            )}
            {item.dueTime && (
              <PlainBadge color="gray" className="agenda-item-time">
                {item.dueTime}
              </PlainBadge>
            )}
          </div>
          <p className={`${Text.classes.root} agenda-item-meta`} id={metaId}>
            <span>{t(`logForm.channels.${item.channel}`)}</span>
            {place && <span>{place}</span>}
            <span>{t('today.item.stage', { stage: t(`stage.${item.stage as TPipelineStage}`) })}</span>
          </p>
          {item.phone && (
            <PlainAnchor
              href={`tel:${item.phone.replace(/[^\d+]/g, '')}`}
              className="agenda-item-phone"
              aria-label={t('today.item.call', { phone: item.phone })}
            >
              <Icon name="phone" size={15} />
              <span>{item.phone}</span>
            </PlainAnchor>
          )}
          <p className={`${Text.classes.root} agenda-item-last`}>
            {last ? (
              <>
                <span className="agenda-item-dimmed">
                  {t('today.item.lastTouch', {
                    when: formatMoment(last.at, format.language, year, timeZone),
                    channel: t(`logForm.channels.${last.channel}`),
                    outcome: t(`logForm.outcomes.${last.channel}.${last.outcome}`),
                  })}
                </span>
                {last.note && <span className="agenda-item-note">“{last.note}”</span>}
              </>
            ) : (
              <span className="agenda-item-dimmed">{t('today.item.neverTouched')}</span>
            )}
          </p>
        </div>
      </div>

      <div className="agenda-item-actions">
        {QUICK_OUTCOMES.map((outcome, index) => (
          <PlainButton
            key={outcome}
            variant={outcome === 'meeting_booked' ? 'light-teal' : 'default'}
            className="quick-button"
            onClick={() => onQuickLog(outcome)}
            aria-describedby={nameId}
            aria-keyshortcuts={String(index + 1)}
            // "Meeting booked" opens the log form, which asks for the meeting's day and time.
            aria-haspopup={outcome === 'meeting_booked' ? 'dialog' : undefined}
            data-outcome={outcome}
            rightSection={
              <PlainKbd className="quick-kbd keyboard-hint" aria-hidden="true">
                {index + 1}
              </PlainKbd>
            }
          >
            {t(`logForm.outcomes.${item.channel}.${outcome}`)}
          </PlainButton>
        ))}
        <PlainButton
          variant="subtle"
          className="quick-button"
          onClick={onOpenForm}
          aria-describedby={nameId}
          aria-haspopup="dialog"
          leftSection={<Icon name="pencil" size={16} />}
        >
          {t('today.item.more')}
        </PlainButton>
      </div>
    </article>
  );
}
